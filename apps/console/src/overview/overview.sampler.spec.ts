import { jest } from '@jest/globals';
import type { BackendClient } from '../backend/backend.client.js';
import { OverviewSampler, SAMPLE_INTERVAL_MS, UNWATCHED_SAMPLE_INTERVAL_MS, WATCHED_FOR_MS } from './overview.sampler.js';

describe('overview sampler', () => {
  let scrapes: number;
  /** Whether the apps answer their /metrics (with an empty body), or are not up yet. */
  let up: boolean;
  let sampler: OverviewSampler;
  const backend = () =>
    ({
      routes: { metrics: { orchestrated: 'o', choreographed: 'c', checkout: 'k' } },
      metrics: () => Promise.resolve((scrapes += 1) && up ? '' : undefined),
    }) as unknown as BackendClient;

  beforeEach(() => {
    jest.useFakeTimers();
    scrapes = 0;
    up = true;
    sampler = new OverviewSampler(backend());
    sampler.onModuleInit();
  });

  afterEach(async () => {
    await sampler.onModuleDestroy();
    jest.useRealTimers();
  });

  /** Readings (three scrapes each) taken during `ms`. */
  const readingsDuring = async (ms: number) => {
    const before = scrapes;
    await jest.advanceTimersByTimeAsync(ms);
    return (scrapes - before) / 3;
  };

  it('reads the metrics every thirty seconds while nobody looks at the overview', async () => {
    await jest.advanceTimersByTimeAsync(1);
    expect(await readingsDuring(5 * 60_000)).toBe((5 * 60_000) / UNWATCHED_SAMPLE_INTERVAL_MS);
  });

  it('reads them at once and every two seconds while watched, then slows down a minute after the last look', async () => {
    await readingsDuring(10_000);
    sampler.watch();
    expect(await readingsDuring(1)).toBe(1);
    expect(await readingsDuring(WATCHED_FOR_MS)).toBe(WATCHED_FOR_MS / SAMPLE_INTERVAL_MS);
    // No look for a minute: back to the slow pace.
    expect(await readingsDuring(5 * 60_000)).toBeLessThanOrEqual((5 * 60_000) / UNWATCHED_SAMPLE_INTERVAL_MS + 1);
  });

  it('keeps the fast pace until an app first answers, then slows down', async () => {
    await sampler.onModuleDestroy();
    up = false;
    sampler = new OverviewSampler(backend());
    sampler.onModuleInit();
    await jest.advanceTimersByTimeAsync(1);
    expect(await readingsDuring(20_000)).toBe(20_000 / SAMPLE_INTERVAL_MS);
    up = true;
    expect(await readingsDuring(SAMPLE_INTERVAL_MS)).toBe(1);
    expect(await readingsDuring(5 * 60_000)).toBe((5 * 60_000) / UNWATCHED_SAMPLE_INTERVAL_MS);
  });
});
