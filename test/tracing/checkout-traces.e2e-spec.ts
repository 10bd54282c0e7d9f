import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { createEnvelope } from '@app/contracts';
import {
  BOOT_TIMEOUT_MS,
  Choreography,
  OtlpReceiver,
  Participants,
  type ReceivedSpan,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  createTestDatabase,
  eventually,
  testConfig,
} from '@app/testing';
import { ReceivedTrace } from './trace.queries.js';

// Checkouts cross a dozen processes on a busy machine, and spans are exported in batches.
jest.setTimeout(90_000);

const SPANS_TIMEOUT = { timeoutMs: 30_000, intervalMs: 200 };
const TRACE_ID = /^[0-9a-f]{32}$/;
const order = (token: string) => ({ clientId: 'trace-client', items: [{ sku: 'TRACE-1', quantity: 1 }], payment: { token } });

/** The saga workers' spans of one business step, in the order the choreography runs them. */
const CHOREOGRAPHED_STEPS = [
  { service: 'stock-reservation-worker', consumes: 'CheckoutInitiated', step: 'stock' },
  { service: 'order-creation-worker', consumes: 'StockReserved', step: 'order' },
  { service: 'payment-worker', consumes: 'OrderCreated', step: 'payment' },
  { service: 'order-confirmation-worker', consumes: 'PaymentAuthorized', step: 'confirmation' },
];

/**
 * Every app of both styles traced (OTEL_SDK_DISABLED=false), exporting with the real OTLP/HTTP
 * exporter to a receiver in the test: one trace per checkout across every process it touched,
 * spans in the order of the steps, compensations, a worker restarted mid-checkout, and an event
 * whose trace context is garbage.
 */
describe('tracing: one trace per checkout, in both styles', () => {
  const config = testConfig();
  let receiver: OtlpReceiver;
  let participants: Participants;
  let choreography: Choreography;
  let orchestrator: ServiceProcess;
  let checkout: ServiceProcess;
  let sagaSql: pg.Pool;
  const databases: TestDatabase[] = [];

  /**
   * The trace holding the spans of `checkoutId` (those of `service`, if given), once it is whole (every
   * span's parent arrived: spans come in batches, children often first) and `complete` holds.
   */
  const traceOf = (checkoutId: string, complete: (trace: ReceivedTrace) => void, service?: string): Promise<ReceivedTrace> =>
    eventually(() => {
      const spans = receiver.withAttribute('checkout.id', checkoutId).filter((span) => service === undefined || span.service === service);
      const ids = new Set(spans.map((span) => span.traceId));
      expect(ids.size).toBe(1);
      const trace = new ReceivedTrace(receiver.trace([...ids][0]!));
      complete(trace);
      expect(trace.roots).toHaveLength(1);
      return trace;
    }, SPANS_TIMEOUT);

  const stepSpan = (trace: ReceivedTrace, service: string, step: string): ReceivedSpan => trace.one(`step ${step}`, service);

  beforeAll(async () => {
    process.setMaxListeners(32);
    receiver = await OtlpReceiver.start();
    const tracing = { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
    participants = await Participants.start({ label: 'tracing', apiKey: TEST_API_KEY, createDatabase: createTestDatabase, env: tracing });
    await participants.product('TRACE-1', 100, 1_000);
    const [sagaDb, checkoutDb] = await Promise.all([createTestDatabase('tracing_saga'), createTestDatabase('tracing_checkout')]);
    databases.push(sagaDb, checkoutDb);
    sagaSql = new pg.Pool({ connectionString: sagaDb.url, options: '-c search_path=saga', max: 1 });
    const env = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      ...participants.urls,
      ...tracing,
    };
    choreography = await Choreography.start({ participants, apiKey: TEST_API_KEY, config, env: { ...tracing, LOG_LEVEL: 'info' } });
    orchestrator = await ServiceProcess.start('saga-orchestrator', { ...env, SAGA_DATABASE_URL: sagaDb.url });
    checkout = await ServiceProcess.start('checkout', {
      ...env,
      CHECKOUT_DATABASE_URL: checkoutDb.url,
      EVENT_STORE_DATABASE_URL: checkoutDb.url,
      SAGA_ORCHESTRATOR_URL: orchestrator.url,
    });
    // A dozen processes boot with tracing's module hooks: on a shared machine that takes longer than one app's boot.
  }, 3 * BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([orchestrator?.stop(), checkout?.stop(), sagaSql?.end()]);
    await choreography?.stop();
    await participants?.stop();
    await Promise.all(databases.map((db) => db.drop()));
    await receiver?.stop();
  });

  describe('choreographed', () => {
    const start = async (token: string): Promise<string> =>
      ((await request(checkout.url).post('/checkout/choreo').set('X-API-Key', TEST_API_KEY).send(order(token)).expect(202)).body as { checkoutId: string })
        .checkoutId;

    it('is one trace from POST /checkout/choreo through each worker and participant to CheckoutSucceeded', async () => {
      const checkoutId = await start('tok_visa');
      expect((await choreography.stream.terminalOf(checkoutId)).type).toBe('CheckoutSucceeded');
      // Spans arrive in batches from a dozen processes: the assertions are retried until they hold or time out.
      await traceOf(checkoutId, (trace) => {
        // One root: the request that started the checkout.
        expect(trace.roots).toEqual([
          expect.objectContaining({ service: 'checkout', kind: 2, attributes: expect.objectContaining({ 'url.path': '/checkout/choreo' }) }),
        ]);
        expect([...trace.services]).toEqual(
          expect.arrayContaining(['checkout', 'inventory', 'orders', 'payments', ...CHOREOGRAPHED_STEPS.map((s) => s.service)]),
        );
        // Each worker handles the event the previous one published, inside the trace of that one.
        const handled = CHOREOGRAPHED_STEPS.map(({ service, consumes }) => trace.one(`${consumes} process`, service));
        for (const [earlier, later] of handled.slice(0, -1).map((span, i) => [span, handled[i + 1]!] as const)) {
          expect(trace.isAncestor(earlier, later)).toBe(true);
          expect(later.startNs).toBeGreaterThan(earlier.startNs);
        }
        for (const [i, { service, step }] of CHOREOGRAPHED_STEPS.entries()) {
          const span = stepSpan(trace, service, step);
          expect(span.attributes).toMatchObject({ 'checkout.id': checkoutId, 'saga.style': 'choreographed', 'saga.step': step, 'saga.outcome': 'ok' });
          expect(trace.isAncestor(handled[i]!, span)).toBe(true);
          // The participant's server span is a child of the worker's step, through its HTTP client span.
          expect(trace.spans.some((s) => s.kind === 2 && ['inventory', 'orders', 'payments'].includes(s.service) && trace.isAncestor(span, s))).toBe(true);
        }
        expect(trace.isAncestor(handled.at(-1)!, trace.one('CheckoutSucceeded process', 'checkout'))).toBe(true);
      });
    });

    it('has the compensations of a declined card in the trace, after the refused payment, to CheckoutFailed', async () => {
      const checkoutId = await start('tok_chargeDeclined');
      expect((await choreography.stream.terminalOf(checkoutId)).type).toBe('CheckoutFailed');
      await traceOf(checkoutId, (trace) => {
        expect(trace.traceIds.size).toBe(1);
        const payment = stepSpan(trace, 'payment-worker', 'payment');
        expect(payment.attributes['saga.outcome']).toBe('PAYMENTS.CARD_DECLINED');
        const cancel = trace.one('compensate cancelOrder', 'order-compensation-worker');
        const release = trace.one('compensate releaseStock', 'stock-compensation-worker');
        expect(trace.isAncestor(payment, cancel)).toBe(false);
        expect(trace.isAncestor(trace.one('PaymentFailed process', 'order-compensation-worker'), cancel)).toBe(true);
        expect(trace.isAncestor(cancel, release)).toBe(false);
        expect(trace.isAncestor(trace.one('PaymentFailed process', 'order-compensation-worker'), release)).toBe(true);
        expect(cancel.startNs).toBeGreaterThan(payment.startNs);
        expect(release.startNs + 1_000_000n).toBeGreaterThanOrEqual(cancel.endNs);
        expect(trace.spans.some((s) => s.service === 'orders' && s.kind === 2 && trace.isAncestor(cancel, s))).toBe(true);
        expect(trace.spans.some((s) => s.service === 'inventory' && s.kind === 2 && trace.isAncestor(release, s))).toBe(true);
      });
    });

    it('keeps one trace when the worker of the next step restarts between two steps', async () => {
      const payment = choreography.worker('payment-worker');
      await payment.stop();
      const checkoutId = await start('tok_visa');
      await eventually(async () => expect((await choreography.stream.eventsOf(checkoutId)).map((e) => e.type)).toContain('OrderCreated'), {
        timeoutMs: 20_000,
      });
      await payment.restart();
      expect((await choreography.stream.terminalOf(checkoutId, { timeoutMs: 30_000 })).type).toBe('CheckoutSucceeded');

      await traceOf(checkoutId, (trace) => {
        trace.one('CheckoutSucceeded process', 'checkout');
        expect(trace.isAncestor(trace.one('StockReserved process', 'order-creation-worker'), trace.one('OrderCreated process', 'payment-worker'))).toBe(true);
      });
    });

    it('starts a new trace for an event whose trace context is garbled, and the checkout still ends', async () => {
      const garbled = [{ traceparent: '00-not-a-trace-01' }, { traceparent: 42 }, 'traceparent'];
      const ids = await Promise.all(
        garbled.map(async (traceContext) => {
          const checkoutId = randomUUID();
          const envelope = createEnvelope(
            'CheckoutInitiated',
            { checkoutId, clientId: 'trace-client', items: [{ sku: 'TRACE-1', quantity: 1 }], paymentToken: 'tok_visa' },
            { correlationId: checkoutId, producer: 'checkout' },
          );
          await choreography.redeliver({ ...envelope, traceContext } as unknown as typeof envelope);
          return checkoutId;
        }),
      );
      for (const checkoutId of ids) {
        expect((await choreography.stream.terminalOf(checkoutId, { timeoutMs: 30_000 })).type).toBe('CheckoutSucceeded');
        // Each group that handles the garbled event starts a trace of its own: follow the saga workers'.
        await traceOf(
          checkoutId,
          (trace) => {
            trace.one('PaymentAuthorized process', 'order-confirmation-worker');
            const first = trace.one('CheckoutInitiated process', 'stock-reservation-worker');
            expect(first.traceId).toMatch(TRACE_ID);
            expect(first.parentSpanId).toBe('');
            expect(trace.roots).toEqual([first]);
          },
          'stock-reservation-worker',
        );
      }
    });

    it('writes the trace and span ids on every log line written inside a span', async () => {
      const checkoutId = await start('tok_visa');
      await choreography.stream.terminalOf(checkoutId);
      const trace = await traceOf(checkoutId, (t) => t.one('PaymentAuthorized process', 'order-confirmation-worker'));
      const lines = await eventually(() => {
        const found = choreography
          .worker('order-confirmation-worker')
          .logs.split('\n')
          .filter((line) => line.startsWith('{') && line.includes(checkoutId))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(found.length).toBeGreaterThan(0);
        return found;
      });
      const spanIds = new Set(trace.spans.map((span) => span.spanId));
      for (const line of lines) {
        expect(line['trace_id']).toBe(trace.spans[0]!.traceId);
        expect(spanIds.has(line['span_id'] as string)).toBe(true);
      }
    });
  });

  describe('orchestrated', () => {
    const start = (token: string) => request(orchestrator.url).post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY).send(order(token));
    const ORCHESTRATED_STEPS = ['stock', 'stock', 'order', 'payment', 'confirmation'];

    it('is one trace from POST /api/saga/checkout through each step, with its transitions as span events', async () => {
      const { checkoutId } = (await start('tok_visa').expect(201)).body as { checkoutId: string };
      await traceOf(checkoutId, (trace) => {
        expect(trace.roots).toEqual([
          expect.objectContaining({ service: 'saga-orchestrator', kind: 2, attributes: expect.objectContaining({ 'url.path': '/api/saga/checkout' }) }),
        ]);
        expect([...trace.services]).toEqual(expect.arrayContaining(['saga-orchestrator', 'inventory', 'orders', 'payments']));
        const steps = trace.spans.filter((s) => s.service === 'saga-orchestrator' && s.name.startsWith('step '));
        expect(steps.map((s) => s.attributes['saga.step'])).toEqual(ORCHESTRATED_STEPS);
        // One step after the other (span start times have a resolution of a millisecond).
        for (const [earlier, later] of steps.slice(0, -1).map((span, i) => [span, steps[i + 1]!] as const))
          expect(later.startNs + 1_000_000n).toBeGreaterThanOrEqual(earlier.endNs);
        for (const span of steps) {
          expect(span.attributes).toMatchObject({ 'checkout.id': checkoutId, 'saga.style': 'orchestrated', 'saga.outcome': 'ok' });
          expect(trace.isAncestor(trace.roots[0]!, span)).toBe(true);
        }
        const transitions = steps.flatMap((s) =>
          s.events.filter((e) => e.name === 'saga.transition').map((e) => `${e.attributes['saga.from']}>${e.attributes['saga.to']}`),
        );
        expect(transitions[0]).toBe('EN_ATTENTE>VERIFICATION_STOCK');
        expect(transitions).toContain('PAIEMENT_AUTORISE>CONFIRMATION_COMMANDE');
        expect(transitions.at(-1)).toMatch(/>SAGA_TERMINEE$/);
      });
    });

    it('has the compensations of a declined card in the trace, in the reverse order of the steps', async () => {
      const { checkoutId } = (await start('tok_chargeDeclined').expect(409)).body as { checkoutId: string };
      await traceOf(checkoutId, (trace) => {
        expect(trace.roots).toHaveLength(1);
        expect(stepSpan(trace, 'saga-orchestrator', 'payment').attributes['saga.outcome']).toBe('PAYMENTS.CARD_DECLINED');
        const compensation = trace.one('compensation', 'saga-orchestrator');
        const [cancel, release] = [trace.one('compensate cancelOrder', 'saga-orchestrator'), trace.one('compensate releaseStock', 'saga-orchestrator')];
        expect(trace.isAncestor(compensation, cancel) && trace.isAncestor(compensation, release)).toBe(true);
        expect(release.startNs + 1_000_000n).toBeGreaterThanOrEqual(cancel.endNs);
        const transitions = compensation.events.map((e) => `${e.attributes['saga.from']}>${e.attributes['saga.to']}`);
        expect(transitions).toEqual(['COMPENSATION_EN_COURS>SAGA_ANNULEE']);
      });
    });

    it('keeps one trace when the orchestrator is killed mid-saga and a new one resumes it', async () => {
      const key = `trace-crash-${randomUUID()}`;
      // Payments frozen: the saga waits in its payment step, its earlier steps done and their spans exported.
      participants.payments.pause();
      let saga: { id: string; checkout_id: string };
      let answered: Promise<unknown>;
      try {
        answered = start('tok_visa')
          .set('Idempotency-Key', key)
          .then(
            () => undefined,
            () => undefined,
          );
        saga = await eventually(async () => {
          const { rows } = await sagaSql.query<{ id: string; checkout_id: string; state: string }>(
            'SELECT id, checkout_id, state FROM sagas WHERE idempotency_key = $1',
            [key],
          );
          expect(rows[0]?.state).toBe('AUTORISATION_PAIEMENT');
          return rows[0]!;
        });
        await eventually(() => expect(receiver.withAttribute('checkout.id', saga.checkout_id).map((s) => s.name)).toContain('step order'), SPANS_TIMEOUT);
        // Its request's span and its payment step's die with it, never exported.
        await orchestrator.kill();
      } finally {
        participants.payments.resume();
      }
      const killedAt = BigInt(Date.now()) * 1_000_000n;
      await answered;

      await orchestrator.restart();
      const status = await eventually(
        async () => {
          const body = (await request(orchestrator.url).get(`/api/saga/${saga.id}/status`).set('X-API-Key', TEST_API_KEY).expect(200)).body as {
            state: string;
            terminal: boolean;
          };
          expect(body.terminal).toBe(true);
          return body;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(status.state).toBe('SAGA_TERMINEE');

      await eventually(() => {
        const spans = receiver
          .withAttribute('checkout.id', saga.checkout_id)
          .filter((s) => s.service === 'saga-orchestrator')
          .sort((a, b) => Number(a.startNs - b.startNs));
        const before = spans.filter((s) => s.endNs < killedAt);
        const after = spans.filter((s) => s.startNs > killedAt);
        expect(before.map((s) => s.name)).toEqual(['step stock', 'step stock', 'step order']);
        expect(after.map((s) => s.name)).toEqual(expect.arrayContaining(['saga', 'step payment', 'step confirmation']));
        expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
        const trace = new ReceivedTrace(receiver.trace(spans[0]!.traceId));
        const resume = trace.one('saga resume', 'saga-orchestrator');
        expect(resume.attributes).toMatchObject({ 'saga.resumed_by': 'recovery', 'saga.attempt': 2, 'saga.id': saga.id });
        // The resumed run's parent is the request that created the saga, as the first process's availability check was.
        expect(resume.parentSpanId).toBe(before[0]!.parentSpanId);
        for (const step of after.filter((s) => s.name.startsWith('step '))) expect(trace.isAncestor(resume, step)).toBe(true);
      }, SPANS_TIMEOUT);
    });
  });
});
