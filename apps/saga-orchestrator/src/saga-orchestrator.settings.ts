import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig } from '@app/config';

/** Injection token of the {@link SagaSettings}. */
export const SAGA_SETTINGS = Symbol('SAGA_SETTINGS');

/** How the orchestrator runs, claims, recovers and compensates sagas. */
export interface SagaSettings {
  /** Lease owner name of this process: several instances (or test apps) never share one. */
  instanceId: string;
  /** How long a claim on a saga lasts without renewal; a crashed instance's sagas are free after it. */
  leaseMs: number;
  /** How often the leases of the sagas this instance runs are renewed (well under `leaseMs`). */
  heartbeatMs: number;
  /** How often sagas whose lease expired are looked for (also once at start). */
  recoveryIntervalMs: number;
  /** Sagas resumed at once by recovery, so a backlog does not flood the participants. */
  maxResuming: number;
  /** A saga still running forward after this long is compensated (SAGA_DEADLINE_MS). */
  deadlineMs: number;
  /** How long `POST /api/saga/checkout` waits for a saga run elsewhere (a retried request) before answering 202. */
  answerTimeoutMs: number;
  /** A compensation failing transiently is retried this many times with backoff, then the saga is parked. */
  compensationRetries: number;
  compensationBackoff: { initialDelayMs: number; maxDelayMs: number };
  /** A parked saga (COMPENSATION_ECHOUEE) is compensated again this long after it was parked; 0 leaves it to an operator. */
  parkedRetryMs: number;
  /** Outbox relay: batch size, the delay that gathers transitions into one batch, and the safety sweep interval. */
  outbox: { batchSize: number; delayMs: number; intervalMs: number };
  /** How long shutdown waits for running sagas before closing. */
  drainMs: number;
}

/** Settings from the configuration, with the defaults of a single local instance. */
export function sagaSettingsOf(config: AppConfig, overrides: Partial<SagaSettings> = {}): SagaSettings {
  return {
    instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    leaseMs: 5_000,
    heartbeatMs: 1_000,
    recoveryIntervalMs: 2_000,
    maxResuming: 64,
    deadlineMs: config.SAGA_DEADLINE_MS,
    answerTimeoutMs: config.SAGA_DEADLINE_MS,
    // About 40 s of tries: longer than a participant restart and than its circuit breaker stays open,
    // so a saga is parked in COMPENSATION_ECHOUEE only when a participant is really gone.
    compensationRetries: Math.max(12, config.PARTICIPANT_RETRIES + 1),
    compensationBackoff: { initialDelayMs: 200, maxDelayMs: 5_000 },
    parkedRetryMs: config.SAGA_PARKED_RETRY_MS,
    // Transitions are off the caller's path: a wake-up waits 50 ms so a saga's transitions leave together.
    outbox: { batchSize: 500, delayMs: 50, intervalMs: 30_000 },
    drainMs: config.SHUTDOWN_DRAIN_MS,
    ...overrides,
  };
}
