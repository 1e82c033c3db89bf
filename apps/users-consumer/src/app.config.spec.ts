import { parseConfig } from '@desafios/config';
import { usersConsumerConfig } from './app.config';

describe('usersConsumerConfig', () => {
  it('applies the defaults of the contract', () => {
    expect(parseConfig(usersConsumerConfig, {})).toEqual({
      HOST: '0.0.0.0',
      PORT: 5000,
      METRICS_ENABLED: true,
      USERS_SERVICE_URL: 'http://users-service:5000',
      USERS_TIMEOUT_MS: 2000,
      USERS_RETRIES: 1,
      USERS_BREAKER_THRESHOLD: 3,
      USERS_BREAKER_COOLDOWN_MS: 5000,
    });
  });

  it('parses given values', () => {
    const config = parseConfig(usersConsumerConfig, {
      USERS_SERVICE_URL: 'http://127.0.0.1:5001',
      USERS_TIMEOUT_MS: '300',
      USERS_RETRIES: '0',
    });
    expect(config).toMatchObject({ USERS_SERVICE_URL: 'http://127.0.0.1:5001/', USERS_TIMEOUT_MS: 300, USERS_RETRIES: 0 });
  });

  it.each([
    [{ USERS_SERVICE_URL: 'users-service:5000' }, 'USERS_SERVICE_URL: valor inválido "users-service:5000"'],
    [{ USERS_TIMEOUT_MS: '0' }, 'USERS_TIMEOUT_MS: valor inválido "0"; esperado um número inteiro de 50 a 60000'],
    [{ USERS_RETRIES: '10' }, 'USERS_RETRIES: valor inválido "10"; esperado um número inteiro de 0 a 5'],
    [{ USERS_BREAKER_THRESHOLD: '0' }, 'USERS_BREAKER_THRESHOLD: valor inválido "0"'],
    [{ USERS_BREAKER_COOLDOWN_MS: 'x' }, 'USERS_BREAKER_COOLDOWN_MS: valor inválido "x"'],
  ])('rejects %j', (env, message) => {
    expect(() => parseConfig(usersConsumerConfig, env)).toThrow(message);
  });
});
