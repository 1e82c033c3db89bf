export { createHttpApp, startHttpApp } from './lib/start-http-app';
export { StartupError } from './lib/startup-failure';
export { exitOnSignal } from './lib/graceful-shutdown';
export { createJsonLogger } from './lib/logger';
export { REQUEST_ID_HEADER } from './lib/request-id';
export { escapeHtml } from './lib/escape-html';
