import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives working local defaults when the environment is empty', () => {
    const config = loadConfig({});
    expect(config.INVENTORY_PORT).toBe(3001);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('converts numbers and booleans from strings', () => {
    const config = loadConfig({ ORDERS_PORT: '4002', FAULT_ERROR_RATE: '0.25', DATABASE_LOG_QUERIES: 'true' });
    expect(config.ORDERS_PORT).toBe(4002);
    expect(config.FAULT_ERROR_RATE).toBe(0.25);
    expect(config.DATABASE_LOG_QUERIES).toBe(true);
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ ORDERS_PORT: 'abc', REDIS_URL: 'not a url', FAULT_ERROR_RATE: '3' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('ORDERS_PORT');
    expect(problems).toContain('REDIS_URL');
    expect(problems).toContain('FAULT_ERROR_RATE');
  });
});
