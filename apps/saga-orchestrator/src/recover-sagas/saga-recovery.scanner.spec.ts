import { jest } from '@jest/globals';
import type { SagaSettings } from '../saga-orchestrator.settings.js';
import type { SagaRepository } from '../saga/saga.repository.js';
import type { SagaRunner } from '../saga/saga.runner.js';
import { SagaRecoveryScanner } from './saga-recovery.scanner.js';

describe('saga recovery scans', () => {
  let scans: number;
  let runner: { runs: number; drive: () => Promise<void> };
  let scanner: SagaRecoveryScanner;

  beforeEach(() => {
    jest.useFakeTimers();
    scans = 0;
    runner = { runs: 0, drive: () => Promise.resolve() };
    const repository = { claimExpired: () => Promise.resolve((scans += 1) && []) } as unknown as SagaRepository;
    const settings = { recoveryIntervalMs: 100, maxResuming: 8, leaseMs: 500, instanceId: 'me' } as SagaSettings;
    scanner = new SagaRecoveryScanner(repository, runner as unknown as SagaRunner, settings);
    scanner.onApplicationBootstrap();
  });

  afterEach(async () => {
    await scanner.onModuleDestroy();
    jest.useRealTimers();
  });

  const during = async (ms: number) => {
    const before = scans;
    await jest.advanceTimersByTimeAsync(ms);
    return scans - before;
  };

  it('back off while there is nothing to claim and no saga runs, to at most 16 times the interval', async () => {
    await during(5_000);
    // Every 1.6 s once backed off, instead of every 100 ms.
    expect(await during(16_000)).toBeLessThanOrEqual(11);
  });

  it('return to their pace from the next scan once checkouts flow through this instance', async () => {
    await during(5_000);
    const flowing = setInterval(() => (runner.runs += 1), 50);
    await during(2_000);
    const scansWhileFlowing = await during(1_000);
    clearInterval(flowing);
    expect(scansWhileFlowing).toBeGreaterThanOrEqual(9);
  });
});
