// Test-only entry point (@desafios/metrics/testing): the specs of the apps' metrics import it.
export { seriesValue } from './lib/metrics.testing';
