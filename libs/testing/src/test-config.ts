import { randomBytes } from 'node:crypto';
import { type AppConfig, type EnvSchema, loadConfig } from '@app/config';

/** A key every test app accepts. */
export const TEST_API_KEY = 'test-key';

/**
 * The configuration of a test: local services, its own Redis key prefix and NATS prefix so tests
 * never see each other's streams, quiet logs, and the given overrides (typically database URLs).
 */
export function testConfig(overrides: Partial<EnvSchema> = {}): AppConfig {
  const id = randomBytes(4).toString('hex');
  return loadConfig(
    {},
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_KEY_PREFIX: `test:${id}:`,
      NATS_PREFIX: `test_${id}_`,
      // `TEST_BUS=nats` runs a suite on JetStream; each test may still name its bus in `overrides`.
      BUS: process.env['TEST_BUS'] === 'nats' ? 'nats' : 'redis-streams',
      // A failed delivery is tried again within a test's patience, not after the production second.
      STREAM_RETRY_DELAY_MS: 100,
      STREAM_RETRY_MAX_DELAY_MS: 1_000,
      ...overrides,
    },
  );
}

/** The bus settings of a test's configuration, as the environment of the app processes it starts. */
export function busEnv(config: AppConfig): Record<string, string> {
  return {
    REDIS_URL: config.REDIS_URL,
    REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
    BUS: config.BUS,
    NATS_URL: config.NATS_URL,
    NATS_PREFIX: config.NATS_PREFIX,
  };
}
