import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_UI_PATH = '/docs';

/**
 * libs/server gives every HTML page a policy without scripts. The Swagger UI is made of scripts, so
 * its pages get one that allows this origin's own scripts and styles, and nothing from elsewhere.
 */
const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Serves the API description at /openapi.json (and /openapi.yaml) and a Swagger UI at /docs. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('users-service')
    .setDescription('Lista de usuários do Desafio 4 (consumida pelo users-consumer).')
    .setVersion('1.0.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: '/openapi.yaml',
  });
  // Added after libs/server's onSend hook, so it runs later and replaces that header on /docs only.
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith(OPENAPI_UI_PATH) && reply.hasHeader('content-security-policy')) {
      void reply.header('content-security-policy', DOCS_POLICY);
    }
    return payload;
  });
}
