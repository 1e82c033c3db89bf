import { ConsoleLogger, LoggerService } from '@nestjs/common';

/** One JSON object per line on stdout: easy to read with `docker compose logs`, easy to parse. */
export function createJsonLogger(appName: string): LoggerService {
  return new ConsoleLogger(appName, { json: true, colors: false });
}
