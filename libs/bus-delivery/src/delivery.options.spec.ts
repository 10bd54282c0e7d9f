import { loadConfig } from '@app/config';
import { type DeliveryServerOptions, deliveryOptionsFromConfig, resolveDeliveryOptions } from './delivery.options.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('delivery options', () => {
  it("fills the shared settings from the configuration defaults, then the transport's own, then ordering by correlation", () => {
    const defaults = loadConfig({});
    const resolved = resolveDeliveryOptions({ group: 'g', logger }, (config) => ({ pauseMs: config.STREAM_READ_PAUSE_MS, prefix: '' }), 'test');
    expect(resolved).toMatchObject({
      group: 'g',
      maxAttempts: defaults.STREAM_MAX_ATTEMPTS,
      retryDelayMs: defaults.STREAM_RETRY_DELAY_MS,
      maxInFlight: defaults.STREAM_MAX_IN_FLIGHT,
      drainMs: defaults.SHUTDOWN_DRAIN_MS,
      pauseMs: defaults.STREAM_READ_PAUSE_MS,
      prefix: '',
      ordering: 'correlation',
    });
    expect(resolved.logger).toBe(logger);
    expect(resolved.consumer).toMatch(/-\d+$/);
  });

  it('lets an app override a default, and an option left undefined keeps it', () => {
    const options: DeliveryServerOptions = { group: 'g', maxAttempts: 2, drainMs: undefined, ordering: 'none' };
    const resolved = resolveDeliveryOptions(options, () => ({}), 'test');
    expect(resolved.maxAttempts).toBe(2);
    expect(resolved.drainMs).toBe(loadConfig({}).SHUTDOWN_DRAIN_MS);
    expect(resolved.ordering).toBe('none');
  });

  it("takes the settings from the configuration, with CONSUMER_GROUP and CONSUMER_NAME over the app's own", () => {
    const config = loadConfig({ STREAM_MAX_ATTEMPTS: '3', CONSUMER_GROUP: 'audit-2', CONSUMER_NAME: 'pod-7' });
    const options = deliveryOptionsFromConfig(config, { url: 'nats://x' }, { group: 'audit', consumer: 'mine', blockMs: undefined });
    expect(options).toMatchObject({ url: 'nats://x', group: 'audit-2', consumer: 'pod-7', maxAttempts: 3, blockMs: config.STREAM_BLOCK_MS });
  });
});
