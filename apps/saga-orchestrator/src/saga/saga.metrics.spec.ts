import { register } from 'prom-client';
import { type SagaSnapshot, type SagaState, decide } from './saga.machine.js';
import { type SagaMetrics, observeDecision, sagaMetrics } from './saga.metrics.js';
import type { SagaFacts, SagaOutcome } from './saga.model.js';

const request = { clientId: 'u1', items: [{ sku: 'A', quantity: 2 }], payment: { sealedToken: 'pt1.sealed', tokenDigest: 'digest' } };
const priced = [{ sku: 'A', quantity: 2, unitPriceCents: 500 }];
const data: SagaFacts = { request, items: priced, totalCents: 1000, orderId: 'o1' };
const declined: SagaOutcome = { type: 'StepFailed', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined', transient: false };

const T0 = Date.UTC(2025, 0, 1);
const at = (ms: number): Date => new Date(T0 + ms);

/** A saga as `SagaRunner` holds it: requested at T0, in `state` since `enteredMs`. */
function run(metrics: SagaMetrics, state: SagaState, enteredMs: number, outcome: SagaOutcome, nowMs: number, sagaData = data) {
  const saga = { state, data: sagaData } as SagaSnapshot;
  const decision = decide(saga, outcome);
  const next = { ...sagaData, ...decision.facts };
  observeDecision(metrics, decision, { enteredAt: at(enteredMs), createdAt: at(0), failure: next.failure, reopened: next.reopened === true }, T0 + nowMs);
  return decision;
}

/** Runs `outcomes` one after the other from `state`, each 10 ms after the previous one, and returns the saga's data. */
function runAll(metrics: SagaMetrics, state: SagaState, outcomes: SagaOutcome[], sagaData = data): SagaFacts {
  let saga = { state, data: sagaData } as SagaSnapshot;
  outcomes.forEach((outcome, i) => {
    const decision = run(metrics, saga.state, i * 10, outcome, (i + 1) * 10, saga.data);
    saga = { state: decision.state, data: { ...saga.data, ...decision.facts } } as SagaSnapshot;
  });
  return saga.data;
}

async function executions(metrics: SagaMetrics): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { metricName, labels, value } of (await metrics.execution.get()).values) {
    if (metricName?.endsWith('_count')) counts[String(labels['outcome'])] = value;
  }
  return counts;
}

const FORCED: SagaOutcome = { type: 'CompensationRequested', code: 'SAGA.COMPENSATION_FORCED', reason: 'operator' };
const releaseFailed: SagaOutcome = { type: 'CompensationFailed', compensation: 'releaseStock', code: 'INVENTORY.UNAVAILABLE', reason: 'down', tries: 3 };

async function stepSeconds(metrics: SagaMetrics): Promise<Record<string, { count: number; sum: number }>> {
  const steps: Record<string, { count: number; sum: number }> = {};
  for (const { metricName, labels, value } of (await metrics.checkout.stepDuration.get()).values) {
    expect(labels['pattern']).toBe('orchestrated');
    const step = (steps[String(labels['step'])] ??= { count: 0, sum: 0 });
    if (metricName?.endsWith('_count')) step.count = value;
    if (metricName?.endsWith('_sum')) step.sum = Number(value.toFixed(6));
  }
  return steps;
}

describe('orchestrated saga metrics', () => {
  let metrics: SagaMetrics;

  beforeEach(() => {
    register.resetMetrics();
    metrics = sagaMetrics();
  });

  it('times each business step once, the stock step from the request (availability check and reservation)', async () => {
    run(metrics, 'VERIFICATION_STOCK', 0, { type: 'StockVerified', items: priced, totalCents: 1000 }, 10);
    run(metrics, 'RESERVATION_STOCK', 10, { type: 'StockReserved' }, 30);
    run(metrics, 'CREATION_COMMANDE', 30, { type: 'OrderCreated', orderId: 'o1', totalCents: 1000 }, 50);
    run(metrics, 'AUTORISATION_PAIEMENT', 50, { type: 'PaymentAuthorized' }, 90);
    run(metrics, 'CONFIRMATION_COMMANDE', 90, { type: 'OrderConfirmed' }, 100);

    expect(await stepSeconds(metrics)).toEqual({
      stock: { count: 1, sum: 0.03 },
      order: { count: 1, sum: 0.02 },
      payment: { count: 1, sum: 0.04 },
      confirmation: { count: 1, sum: 0.01 },
    });
    expect((await metrics.completed.get()).values[0]?.value).toBe(1);
  });

  it('times the step that failed and counts the failure by step and code', async () => {
    run(metrics, 'AUTORISATION_PAIEMENT', 50, declined, 75);

    expect(await stepSeconds(metrics)).toEqual({ payment: { count: 1, sum: 0.025 } });
    expect((await metrics.failed.get()).values).toEqual([expect.objectContaining({ labels: { reason: 'PAYMENTS.CARD_DECLINED', step: 'payment' }, value: 1 })]);
  });

  it('counts a finished saga compensated by an operator once: its first outcome, a failure and a forced compensation, no extra step', async () => {
    runAll(metrics, 'CONFIRMATION_COMMANDE', [{ type: 'OrderConfirmed' }, FORCED, { type: 'Compensated' }]);

    expect(await executions(metrics)).toEqual({ completed: 1 });
    expect(await stepSeconds(metrics)).toEqual({ confirmation: { count: 1, sum: 0.01 } });
    expect((await metrics.completed.get()).values[0]?.value).toBe(1);
    expect((await metrics.failed.get()).values).toEqual([
      expect.objectContaining({ labels: { reason: 'SAGA.COMPENSATION_FORCED', step: 'confirmation' }, value: 1 }),
    ]);
    expect((await metrics.forcedCompensations.get()).values.filter((v) => v.value > 0)).toEqual([
      expect.objectContaining({ labels: { reason: 'SAGA.COMPENSATION_FORCED', after: 'finished' }, value: 1 }),
    ]);
  });

  it('counts a forced compensation in flight as forced, and a parked saga settled later once', async () => {
    runAll(metrics, 'CREATION_COMMANDE', [FORCED, releaseFailed, FORCED, { type: 'Compensated' }]);

    expect(await executions(metrics)).toEqual({ compensation_failed: 1 });
    expect((await metrics.failed.get()).values).toEqual([expect.objectContaining({ labels: { reason: 'SAGA.COMPENSATION_FORCED', step: 'order' }, value: 1 })]);
    expect((await metrics.forcedCompensations.get()).values.filter((v) => v.value > 0)).toEqual([
      expect.objectContaining({ labels: { reason: 'SAGA.COMPENSATION_FORCED', after: 'in_flight' }, value: 1 }),
    ]);
  });

  it('counts a refused step as a failure, not as a forced compensation', async () => {
    runAll(metrics, 'AUTORISATION_PAIEMENT', [declined, { type: 'Compensated' }]);

    expect(await executions(metrics)).toEqual({ cancelled: 1 });
    expect((await metrics.forcedCompensations.get()).values.filter((v) => v.value > 0)).toEqual([]);
  });
});
