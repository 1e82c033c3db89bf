// Test-only entry point (@desafios/config/testing): the specs of the apps' schemas import it; production code
// imports @desafios/config, which does not carry these helpers.
export { configErrorFor, loadConfigFailure } from './lib/config.testing';
