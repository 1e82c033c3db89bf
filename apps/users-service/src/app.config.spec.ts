import { parseConfig } from '@desafios/config';
import { usersServiceConfig } from './app.config';

describe('usersServiceConfig', () => {
  it('listens on 0.0.0.0:5000 by default', () => {
    expect(parseConfig(usersServiceConfig, {})).toEqual({ HOST: '0.0.0.0', PORT: 5000, METRICS_ENABLED: true });
  });

  it('rejects a bad PORT', () => {
    expect(() => parseConfig(usersServiceConfig, { PORT: 'cinco mil' })).toThrow('PORT: valor inválido "cinco mil"');
  });
});
