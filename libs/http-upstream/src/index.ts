export { UpstreamDispatcher } from './lib/upstream.dispatcher';
export { upstreamHttpOptions } from './lib/upstream-http.options';
export { UpstreamError } from './lib/upstream.error';
export type { UpstreamFailure } from './lib/upstream.error';
export { UpstreamPolicy } from './lib/upstream.policy';
export type { BreakerState } from './lib/upstream.policy';
export { UpstreamMetrics } from './lib/upstream.metrics';
