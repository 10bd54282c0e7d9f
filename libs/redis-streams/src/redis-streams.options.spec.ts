import { loadConfig } from '@app/config';
import { resolveServerOptions, serverOptionsFromConfig } from './redis-streams.options.js';

describe('redis-streams options', () => {
  it('defaults every setting the configuration has to the configuration default: one set of defaults', () => {
    const defaults = loadConfig({});
    const resolved = resolveServerOptions({ url: 'redis://127.0.0.1:6379', group: 'g' });
    const configured = serverOptionsFromConfig(defaults, { group: 'g' });
    expect(resolved).toMatchObject({ ...configured, url: 'redis://127.0.0.1:6379', keyPrefix: '' });
    expect(resolved.readPauseMs).toBe(defaults.STREAM_READ_PAUSE_MS);
    expect(resolved.maxAttempts).toBe(defaults.STREAM_MAX_ATTEMPTS);
    expect(resolved.retryDelayMs).toBe(defaults.STREAM_RETRY_DELAY_MS);
  });

  it('reads again at once after a short read unless an app asks for a pause: no timer on the saga workers\' hops', () => {
    expect(resolveServerOptions({ url: 'redis://127.0.0.1:6379', group: 'g' }).readPauseMs).toBe(0);
  });

  it('lets an app override a default', () => {
    expect(resolveServerOptions({ url: 'redis://127.0.0.1:6379', group: 'g', readPauseMs: 20 }).readPauseMs).toBe(20);
  });
});
