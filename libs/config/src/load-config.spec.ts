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

  describe('API_KEYS and INTERNAL_API_KEY', () => {
    const problemsOf = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (e) {
        if (e instanceof ConfigError) return e.problems.join('\n');
        throw e;
      }
      return '';
    };

    it('uses the first of API_KEYS between the services when INTERNAL_API_KEY is not set', () => {
      expect(loadConfig({}).INTERNAL_API_KEY).toBe('dev-key');
      expect(loadConfig({ API_KEYS: ' mykey , other' }).INTERNAL_API_KEY).toBe('mykey');
    });

    it('accepts an INTERNAL_API_KEY that is one of API_KEYS', () => {
      expect(loadConfig({ API_KEYS: 'client-key,service-key', INTERNAL_API_KEY: 'service-key' }).INTERNAL_API_KEY).toBe('service-key');
    });

    it('refuses an INTERNAL_API_KEY the services would refuse, naming both variables', () => {
      const problems = problemsOf({ API_KEYS: 'mykey', INTERNAL_API_KEY: 'dev-key' });
      expect(problems).toMatch(/INTERNAL_API_KEY is not one of API_KEYS/);
      expect(problems).not.toContain('mykey');
    });

    it('refuses API_KEYS that names no key', () => {
      expect(problemsOf({ API_KEYS: ' , ' })).toMatch(/API_KEYS=.*names no key/);
    });
  });
});
