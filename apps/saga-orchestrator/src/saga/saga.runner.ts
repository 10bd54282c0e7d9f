import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type CheckoutRequest, PaymentTokenSealer, SagaState, captureTraceContext, sealCheckoutRequest } from '@app/contracts';
import { checkoutAttributes, inSpan, withCorrelation } from '@app/observability';
import { SagaOutboxRelay } from '../publish-transitions/saga-outbox.relay.js';
import { sagaEvents } from '../publish-transitions/saga-transition.events.js';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';
import { StaleSagaError } from './saga.errors.js';
import { type Decision, andThen, commandOf, decide, isTerminal, overdueOutcome } from './saga.machine.js';
import type { SagaRecord } from './saga.mapper.js';
import type { SagaFacts } from './saga.model.js';
import { observeDecision, sagaMetrics } from './saga.metrics.js';
import { milestonesOf } from './saga.milestones.js';
import { type Lease, SagaRepository } from './saga.repository.js';
import { inCommandSpan, recordDecision } from './saga.spans.js';
import { SagaStepExecutor } from './saga-step.executor.js';

const POLL_MS = 50;

/**
 * Runs sagas: executes the command of the current state, asks `decide` what it means, records the
 * decision (one statement, version-checked) and goes on until the saga stops. It also keeps the
 * leases of the sagas it runs alive, so another instance takes one over only if this one died.
 */
@Injectable()
export class SagaRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SagaRunner.name);
  private readonly metrics = sagaMetrics();
  private readonly running = new Map<string, Promise<SagaRecord>>();
  private readonly lease: Lease;
  private heartbeat?: NodeJS.Timeout;
  /** Sagas this instance began running since it started: tells the recovery scan whether checkouts are flowing. */
  runs = 0;

  constructor(
    private readonly repository: SagaRepository,
    private readonly executor: SagaStepExecutor,
    private readonly relay: SagaOutboxRelay,
    private readonly sealer: PaymentTokenSealer,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {
    this.lease = { owner: settings.instanceId, ms: settings.leaseMs };
  }

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => void this.renewLeases(), this.settings.heartbeatMs);
  }

  /** Waits for the sagas in flight (bounded), then relays their last events, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    const drained = Promise.allSettled([...this.running.values()]);
    await Promise.race([drained, sleep(this.settings.drainMs, undefined, { ref: false })]);
    clearInterval(this.heartbeat);
    await this.relay.close();
  }

  /**
   * Starts a checkout: checks availability, then records the saga under this instance's lease with
   * the outcome of that check. The check changes nothing anywhere, so nothing needs recording
   * before it, and the checkout costs one write fewer. With an idempotency key already used,
   * returns that saga instead (`created: false`).
   */
  async start(asked: CheckoutRequest, idempotencyKey: string | null): Promise<{ saga: SagaRecord; created: boolean }> {
    const previous = idempotencyKey === null ? undefined : await this.repository.findByIdempotencyKey(idempotencyKey);
    if (previous !== undefined) return { saga: previous, created: false };

    const id = randomUUID();
    // The saga keeps what a resumed saga needs, but never the card token in clear.
    const request = sealCheckoutRequest(asked, id, this.sealer);
    const identity = { id, checkoutId: id, clientId: request.clientId };
    const begun = new Date();
    const started = decide({ state: SagaState.EN_ATTENTE, data: { request } }, { type: 'Started' });
    const startedEvents = sagaEvents({ ...identity, transitions: 0 }, started, { request });
    const availability = { kind: 'run', step: 'checkAvailability', items: request.items } as const;
    const checked = await inCommandSpan(availability, id, async (span) => {
      const outcome = await withCorrelation(id, () => this.executor.execute(availability, id));
      const checked = decide({ state: SagaState.VERIFICATION_STOCK, data: { request } }, outcome);
      recordDecision(span, outcome, andThen(started, checked));
      return checked;
    });
    const data: SagaFacts = { request, ...checked.facts };
    const checkedEvents = sagaEvents({ ...identity, transitions: started.transitions.length }, checked, data);

    // With the request's trace context: whichever instance resumes the saga after a crash continues its trace.
    const saga = await this.repository.create(
      { ...identity, idempotencyKey, data: { request }, deadlineMs: this.settings.deadlineMs, traceContext: captureTraceContext() },
      andThen(started, checked),
      [...startedEvents, ...checkedEvents],
      this.lease,
    );
    if (saga === undefined) {
      // A concurrent retry with the same key recorded its saga first.
      const winner = await this.repository.findByIdempotencyKey(idempotencyKey ?? '');
      if (winner === undefined) throw new Error(`Idempotency key ${idempotencyKey} conflicted but no saga holds it`);
      return { saga: winner, created: false };
    }
    this.metrics.started.inc();
    observeDecision(this.metrics, checked, { enteredAt: begun, createdAt: begun, failure: data.failure });
    this.relay.nudge();
    this.logMilestones(saga, checked);
    return { saga, created: true };
  }

  /**
   * Runs a saga this instance holds the lease of until it stops (terminal or parked), or until
   * another writer takes it over, and returns it as it then is.
   */
  drive(saga: SagaRecord): Promise<SagaRecord> {
    const traced = checkoutAttributes({ checkoutId: saga.checkoutId, style: 'orchestrated' });
    const run = withCorrelation(saga.id, () => inSpan('saga', { ...traced, 'saga.id': saga.id }, () => this.loop(saga)));
    this.runs += 1;
    this.running.set(saga.id, run);
    return run.finally(() => {
      if (this.running.get(saga.id) === run) this.running.delete(saga.id);
    });
  }

  /**
   * Records a decision taken on `saga` (as read at its version) and publishes its transitions
   * through the outbox. `takeOver` marks a new attempt (an operator forcing compensation).
   * @throws StaleSagaError when another writer advanced the saga first.
   */
  async record(saga: SagaRecord, decision: Decision, takeOver = false): Promise<SagaRecord> {
    const facts: SagaFacts = { ...saga.data, ...decision.facts };
    const events = sagaEvents(saga, decision, facts);
    const next = await this.repository.advance(saga, decision, events, this.lease, takeOver);
    observeDecision(this.metrics, decision, {
      enteredAt: saga.stateEnteredAt,
      createdAt: saga.createdAt,
      failure: facts.failure,
      reopened: facts.reopened === true,
    });
    this.relay.nudge();
    this.logMilestones(next, decision);
    return next;
  }

  private logMilestones(saga: SagaRecord, decision: Decision): void {
    withCorrelation(saga.checkoutId, () => {
      for (const { level, line } of milestonesOf(saga, decision)) this.logger[level](line);
    });
  }

  /** The saga once it is terminal (or as it is after `timeoutMs`), wherever it runs. */
  async awaitTerminal(id: string, timeoutMs = this.settings.answerTimeoutMs): Promise<SagaRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.running.get(id)?.catch(() => undefined);
      const saga = await this.repository.find(id);
      if (saga === undefined) throw new Error(`Saga ${id} disappeared`);
      if (isTerminal(saga.state) || Date.now() >= deadline) return saga;
      await sleep(POLL_MS);
    }
  }

  /** Whether this instance is running the saga right now. */
  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  private async loop(saga: SagaRecord): Promise<SagaRecord> {
    let current = saga;
    try {
      for (let command = commandOf(current); command.kind !== 'stop'; command = commandOf(current)) {
        const saga = current;
        current = await inCommandSpan(command, saga.checkoutId, async (span) => {
          const outcome = overdueOutcome(saga, saga.deadlineAt, new Date()) ?? (await this.executor.execute(command, saga.checkoutId));
          const decision = decide(saga, outcome);
          recordDecision(span, outcome, decision);
          return this.record(saga, decision);
        });
      }
      this.logger.debug(`Saga ${current.id} stopped in ${current.state}`);
      return current;
    } catch (error) {
      if (!(error instanceof StaleSagaError)) throw error;
      // Taken over (an operator forced compensation, or our lease lapsed): the new owner goes on.
      this.logger.debug(`Saga ${saga.id} was taken over at version ${error.version}`);
      return (await this.repository.find(saga.id)) ?? current;
    }
  }

  private async renewLeases(): Promise<void> {
    try {
      await this.repository.renewLeases([...this.running.keys()], this.lease);
    } catch (error) {
      this.logger.warn(`Could not renew saga leases: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
