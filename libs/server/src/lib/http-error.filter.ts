import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  LoggerService,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorBody {
  statusCode: number;
  /** The status title; a deliberate 503 may carry a structured report here instead. */
  error: string | object;
  message: string;
  requestId: string;
}

/**
 * The app's one error filter: every error becomes a JSON body. Client errors (4xx) say what was
 * wrong; server errors show generic text and are logged, without the stack or internal details.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, request.id);
    if (body.statusCode >= 500) {
      this.logger.error(
        { msg: 'erro ao atender', method: request.method, url: request.url, requestId: request.id, error: describe(exception) },
        'HttpErrorFilter',
      );
    }
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (!(exception instanceof HttpException)) {
      return { statusCode: 500, error: 'Internal Server Error', message: 'Erro interno do servidor', requestId };
    }
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const error = HttpStatus[statusCode] ? titleOf(HttpStatus[statusCode]) : 'Error';
    if (statusCode < 500) {
      return { statusCode, error, message: messageOf(response, exception.message), requestId };
    }
    // A deliberate 503 (a dependency is down) carries a body meant for the client, e.g. terminus'
    // report naming each failed dependency; any other 5xx shows generic text only.
    if (statusCode === HttpStatus.SERVICE_UNAVAILABLE && typeof response === 'object') {
      return { statusCode, error, message: 'Serviço indisponível', ...response, requestId } as ErrorBody;
    }
    return { statusCode, error, message: 'Erro interno do servidor', requestId };
  }
}

/** NOT_FOUND -> Not Found */
function titleOf(name: string): string {
  return name.toLowerCase().split('_').map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
