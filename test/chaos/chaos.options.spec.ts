import { chaosOptionsOf } from './chaos.options.js';
import { selectFaults } from './faults/all-faults.js';
import { orderOf } from './catalog.js';

describe('chaos options', () => {
  it('defaults to 10 cycles of every fault at 20 checkouts/s', () => {
    expect(chaosOptionsOf({})).toEqual({ cycles: 10, rate: 20, faults: undefined, outDir: 'reports/chaos', bus: 'redis-streams' });
    expect(selectFaults(undefined).map((fault) => fault.name)).toHaveLength(9);
  });

  it('reads cycles, rate and a list of faults, and refuses what it cannot use', () => {
    const options = chaosOptionsOf({ CHAOS_CYCLES: '1', CHAOS_RATE: '5', CHAOS_FAULTS: ' restart-redis, kill-workers ' });
    expect(options).toMatchObject({ cycles: 1, rate: 5, faults: ['restart-redis', 'kill-workers'] });
    expect(selectFaults(options.faults).map((fault) => fault.name)).toEqual(['kill-workers', 'restart-redis']);
    expect(() => chaosOptionsOf({ CHAOS_CYCLES: 'ten' })).toThrow('CHAOS_CYCLES');
    expect(() => selectFaults(['kill-everything'])).toThrow('kill-everything');
  });

  it('runs on NATS with BUS=nats: the loss of a cluster node instead of the Redis faults', () => {
    expect(chaosOptionsOf({ BUS: 'nats' }).bus).toBe('nats');
    const names = selectFaults(undefined, 'nats').map((fault) => fault.name);
    expect(names).toContain('kill-nats-node');
    expect(names.filter((name) => ['restart-redis', 'duplicate-events', 'poison-events'].includes(name))).toEqual([]);
    expect(() => selectFaults(['restart-redis'], 'nats')).toThrow('restart-redis');
    expect(() => chaosOptionsOf({ BUS: 'kafka' })).toThrow('BUS');
  });
});

describe('the load mix', () => {
  it('gives each style every cause of failure, and mostly purchases that can succeed', () => {
    // The load alternates styles and gives each the next order of the mix.
    const intentsOf = (style: number) =>
      Array.from({ length: 100 }, (_, n) => n)
        .filter((n) => n % 2 === style)
        .map((n) => orderOf(Math.floor(n / 2)).intent);
    for (const intents of [intentsOf(0), intentsOf(1)]) {
      expect(new Set(intents)).toEqual(new Set(['success', 'out-of-stock', 'declined']));
      expect(intents.filter((intent) => intent === 'success').length).toBeGreaterThan(intents.length / 2);
    }
  });
});
