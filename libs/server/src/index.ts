export { createHttpApp, startHttpApp } from './lib/start-http-app';
export type { HttpAppOptions } from './lib/start-http-app';
export { exitOnSignal } from './lib/graceful-shutdown';
export type { ShutdownOptions } from './lib/graceful-shutdown';
export { HttpErrorFilter } from './lib/http-error.filter';
export type { ErrorBody } from './lib/http-error.filter';
export { createJsonLogger } from './lib/logger';
export { REQUEST_ID_HEADER, requestIdFor } from './lib/request-id';
export { escapeHtml } from './lib/escape-html';
