import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { ErrorCode, PaymentTokenOpener, SEALED_PAYMENT_TOKEN, STREAMS } from '@app/contracts';
import {
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  createTestDatabase,
  eventually,
  startTestApp,
  testConfig,
  BOOT_TIMEOUT_MS,
  Participants,
} from '@app/testing';
import { SagaOrchestratorModule } from '../saga-orchestrator.module.js';

const visa = { token: 'tok_visa' };

describe('saga orchestrator: POST /api/saga/checkout against the real participants', () => {
  let participants: Participants;
  let sagaDb: TestDatabase;
  let config: AppConfig;
  let orchestrator: TestApp;
  let redis: Redis;

  const api = () => request(orchestrator.url);
  const checkout = (body: object, idempotencyKey?: string) => {
    const req = api().post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY);
    return (idempotencyKey === undefined ? req : req.set('Idempotency-Key', idempotencyKey)).send(body);
  };
  const statusOf = async (sagaId: string) => (await api().get(`/api/saga/${sagaId}/status`).set('X-API-Key', TEST_API_KEY).expect(200)).body;
  const path = (transitions: { from: string; to: string }[]) => [transitions[0]!.from, ...transitions.map((t) => t.to)];

  beforeAll(async () => {
    participants = await Participants.start({ label: 'saga_run', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    sagaDb = await createTestDatabase('saga_run_orchestrator');
    config = testConfig({ SAGA_DATABASE_URL: sagaDb.url, ...participants.urls, PARTICIPANT_TIMEOUT_MS: 2_000, PARTICIPANT_RETRIES: 2 });
    orchestrator = await startTestApp(SagaOrchestratorModule.register(config), 'saga-orchestrator');
    redis = new Redis(config.REDIS_URL);
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    redis?.disconnect();
    await orchestrator?.close();
    await participants?.stop();
    await sagaDb?.drop();
  });

  it('succeeds: SAGA_TERMINEE with a confirmed order, a confirmed reservation and one authorization', async () => {
    await participants.product('OK-1', 10, 1_500);
    await participants.product('OK-2', 5, 250);
    const res = await checkout({
      clientId: 'alice',
      items: [
        { sku: 'OK-1', quantity: 2 },
        { sku: 'OK-2', quantity: 1 },
        { sku: 'OK-1', quantity: 1 },
      ],
      payment: visa,
    }).expect(201);
    expect(res.body).toMatchObject({ state: 'SAGA_TERMINEE', clientId: 'alice', totalCents: 4_750, orderId: expect.any(String), sagaId: expect.any(String) });
    const { sagaId, checkoutId, orderId } = res.body as { sagaId: string; checkoutId: string; orderId: string };

    expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ orderId, status: 'CONFIRMED', totalCents: 4_750 })]);
    expect(await participants.reservationOf(checkoutId)).toEqual({
      checkoutId,
      status: 'CONFIRMED',
      items: [
        { sku: 'OK-1', quantity: 3 },
        { sku: 'OK-2', quantity: 1 },
      ],
    });
    expect(await participants.authorizationOf(checkoutId)).toEqual({ checkoutId, status: 'AUTHORIZED', amountCents: 4_750 });
    expect(await participants.stockOf('OK-1')).toMatchObject({ available: 7, reserved: 0 });

    const status = await statusOf(sagaId);
    expect(path(status.transitions)).toEqual([
      'EN_ATTENTE',
      'VERIFICATION_STOCK',
      'STOCK_VERIFIE',
      'RESERVATION_STOCK',
      'STOCK_RESERVE',
      'CREATION_COMMANDE',
      'COMMANDE_CREEE',
      'AUTORISATION_PAIEMENT',
      'PAIEMENT_AUTORISE',
      'CONFIRMATION_COMMANDE',
      'SAGA_TERMINEE',
    ]);
    expect(status).toMatchObject({ state: 'SAGA_TERMINEE', terminal: true, attempt: 1, data: { orderId, totalCents: 4_750, request: { clientId: 'alice' } } });
    expect(status.data.request.payment).toBeUndefined();
    expect(status.transitions.map((t: { seq: number }) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('publishes every transition as a SagaTransitioned event on ecommerce.saga.events', async () => {
    await participants.product('EV-1', 3);
    const { sagaId } = (await checkout({ clientId: 'eve', items: [{ sku: 'EV-1', quantity: 1 }], payment: visa }).expect(201)).body as { sagaId: string };
    const transitions = (await statusOf(sagaId)).transitions as { from: string; to: string }[];
    const events = await eventually(async () => {
      const entries = await redis.xrange(`${config.REDIS_KEY_PREFIX}${STREAMS.saga}`, '-', '+');
      const mine = entries.map(([, fields]) => JSON.parse(fields[1]!)).filter((e) => e.correlationId === sagaId);
      expect(mine).toHaveLength(transitions.length);
      return mine;
    });
    expect(events.map((e) => [e.payload.from, e.payload.to])).toEqual(transitions.map((t) => [t.from, t.to]));
    expect(events.at(-1)).toMatchObject({
      type: 'SagaTransitioned',
      producer: 'saga-orchestrator',
      payload: { sagaId, terminal: true, to: 'SAGA_TERMINEE', orderId: expect.any(String) },
    });
    expect(events.slice(1).every((e, i) => e.causationId === events[i].eventId)).toBe(true);
  });

  it('insufficient stock: SAGA_ANNULEE at the stock step, nothing held, no order, no authorization', async () => {
    await participants.product('SHORT-1', 2);
    const res = await checkout({ clientId: 'bob', items: [{ sku: 'SHORT-1', quantity: 3 }], payment: visa }).expect(409);
    expect(res.body).toMatchObject({
      state: 'SAGA_ANNULEE',
      failedStep: 'stock',
      code: ErrorCode.InsufficientStock,
      details: { shortages: [{ sku: 'SHORT-1', requested: 3, available: 2 }] },
    });
    expect(res.body.reason).toContain('SHORT-1');
    const { sagaId, checkoutId } = res.body as { sagaId: string; checkoutId: string };
    expect(await participants.stockOf('SHORT-1')).toMatchObject({ available: 2, reserved: 0 });
    expect(await participants.ordersOf(checkoutId)).toEqual([]);
    expect(await participants.authorizationOf(checkoutId)).toBeUndefined();
    expect(path((await statusOf(sagaId)).transitions)).toEqual([
      'EN_ATTENTE',
      'VERIFICATION_STOCK',
      'ECHEC_STOCK_INSUFFISANT',
      'COMPENSATION_EN_COURS',
      'SAGA_ANNULEE',
    ]);
  });

  it('order over the limit: the reservation is released, stock is back, no order, no authorization', async () => {
    await participants.product('BIG-1', 5, 60_000);
    const res = await checkout({ clientId: 'carol', items: [{ sku: 'BIG-1', quantity: 2 }], payment: visa }).expect(409);
    expect(res.body).toMatchObject({ state: 'SAGA_ANNULEE', failedStep: 'order', code: ErrorCode.OrderOverLimit });
    const { sagaId, checkoutId } = res.body as { sagaId: string; checkoutId: string };
    expect(await participants.stockOf('BIG-1')).toMatchObject({ available: 5, reserved: 0 });
    expect(await participants.reservationOf(checkoutId)).toMatchObject({ status: 'RELEASED' });
    expect(await participants.ordersOf(checkoutId)).toEqual([]);
    expect(await participants.authorizationOf(checkoutId)).toBeUndefined();
    const { transitions } = await statusOf(sagaId);
    expect(path(transitions)).toEqual([
      'EN_ATTENTE',
      'VERIFICATION_STOCK',
      'STOCK_VERIFIE',
      'RESERVATION_STOCK',
      'STOCK_RESERVE',
      'CREATION_COMMANDE',
      'ECHEC_CREATION_COMMANDE',
      'COMPENSATION_EN_COURS',
      'SAGA_ANNULEE',
    ]);
    expect(transitions.at(-1).detail).toEqual({ compensated: ['releaseStock'] });
  });

  it('declined card: the order is cancelled, the stock released, the authorization is not live', async () => {
    await participants.product('CARD-1', 4);
    const res = await checkout({ clientId: 'dave', items: [{ sku: 'CARD-1', quantity: 1 }], payment: { token: 'tok_chargeDeclined' } }).expect(409);
    expect(res.body).toMatchObject({ state: 'SAGA_ANNULEE', failedStep: 'payment', code: ErrorCode.CardDeclined });
    const { sagaId, checkoutId } = res.body as { sagaId: string; checkoutId: string };
    expect(await participants.stockOf('CARD-1')).toMatchObject({ available: 4, reserved: 0 });
    expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
    expect(await participants.authorizationOf(checkoutId)).toMatchObject({ status: 'DECLINED' });
    const { transitions } = await statusOf(sagaId);
    expect(path(transitions)).toEqual([
      'EN_ATTENTE',
      'VERIFICATION_STOCK',
      'STOCK_VERIFIE',
      'RESERVATION_STOCK',
      'STOCK_RESERVE',
      'CREATION_COMMANDE',
      'COMMANDE_CREEE',
      'AUTORISATION_PAIEMENT',
      'ECHEC_PAIEMENT',
      'COMPENSATION_EN_COURS',
      'SAGA_ANNULEE',
    ]);
    expect(transitions.find((t: { to: string }) => t.to === 'ECHEC_PAIEMENT').detail).toMatchObject({ code: ErrorCode.CardDeclined, transient: false });
    expect(transitions.at(-1).detail).toEqual({ compensated: ['cancelOrder', 'releaseStock'] });
  });

  it('keeps the card token out of the saga and its events: sealed for payments, which opens it for this checkout only', async () => {
    await participants.product('SEAL-1', 4);
    const paid = (await checkout({ clientId: 'seb', items: [{ sku: 'SEAL-1', quantity: 1 }], payment: { token: 'tok_visa' } }).expect(201)).body;
    const refused = (await checkout({ clientId: 'seb', items: [{ sku: 'SEAL-1', quantity: 1 }], payment: { token: 'tok_chargeDeclined' } }).expect(409)).body;
    // Payments read both tokens: it authorized one and declined the other.
    expect(refused).toMatchObject({ failedStep: 'payment', code: ErrorCode.CardDeclined });

    const sql = new pg.Pool({ connectionString: sagaDb.url, max: 1 });
    try {
      const stored = async (query: string) => (await sql.query<{ text: string }>(query, [[paid.sagaId, refused.sagaId]])).rows.map((r) => r.text).join('\n');
      const sagas = await stored('SELECT data::text AS text FROM saga.sagas WHERE id = ANY($1::uuid[])');
      const transitions = await stored('SELECT detail::text AS text FROM saga.saga_transitions WHERE saga_id = ANY($1::uuid[])');
      const published = (await redis.xrange(`${config.REDIS_KEY_PREFIX}${STREAMS.saga}`, '-', '+')).map(([, fields]) => fields.join(' ')).join('\n');
      const shown = JSON.stringify([await statusOf(paid.sagaId), await statusOf(refused.sagaId), paid, refused]);
      for (const text of [sagas, transitions, published, shown]) expect(text).not.toMatch(/tok_(visa|chargeDeclined)/);

      const [{ data }] = (await sql.query<{ data: { request: { payment: { sealedToken: string } } } }>('SELECT data FROM saga.sagas WHERE id = $1', [paid.sagaId])).rows as [
        { data: { request: { payment: { sealedToken: string } } } },
      ];
      const opener = new PaymentTokenOpener(config.PAYMENT_TOKEN_PUBLIC_KEY, config.PAYMENT_TOKEN_PRIVATE_KEY);
      expect(data.request.payment.sealedToken).toMatch(SEALED_PAYMENT_TOKEN);
      expect(opener.open(data.request.payment.sealedToken, paid.checkoutId)).toBe('tok_visa');
      expect(opener.open(data.request.payment.sealedToken, refused.checkoutId)).toBeUndefined();
    } finally {
      await sql.end();
    }
  });

  it('unknown SKU: SAGA_ANNULEE naming it', async () => {
    const res = await checkout({ clientId: 'erin', items: [{ sku: 'NOPE-404', quantity: 1 }], payment: visa }).expect(409);
    expect(res.body).toMatchObject({ state: 'SAGA_ANNULEE', failedStep: 'stock', code: ErrorCode.UnknownSku, details: { skus: ['NOPE-404'] } });
  });

  describe('Idempotency-Key', () => {
    const countSagas = async () => (await api().get('/api/saga/list').query({ limit: 100 }).set('X-API-Key', TEST_API_KEY).expect(200)).body.items.length;

    it('returns the first saga with the same status and body, and creates nothing new', async () => {
      await participants.product('IDEM-1', 10);
      const body = { clientId: 'frank', items: [{ sku: 'IDEM-1', quantity: 2 }], payment: visa };
      const first = await checkout(body, 'key-frank-1').expect(201);
      const sagas = await countSagas();
      const again = await checkout(body, 'key-frank-1').expect(201);
      expect(again.body).toEqual(first.body);
      expect(await countSagas()).toBe(sagas);
      expect(await participants.ordersOf(first.body.checkoutId)).toHaveLength(1);
      expect(await participants.stockOf('IDEM-1')).toMatchObject({ available: 8 });
    });

    it('replays a failure the same way', async () => {
      const body = { clientId: 'gina', items: [{ sku: 'NOPE-IDEM', quantity: 1 }], payment: visa };
      const first = await checkout(body, 'key-gina').expect(409);
      await checkout(body, 'key-gina').expect(409, first.body);
    });

    it('runs concurrent retries of one key as one saga', async () => {
      await participants.product('IDEM-2', 10);
      const body = { clientId: 'hank', items: [{ sku: 'IDEM-2', quantity: 1 }], payment: visa };
      const answers = await Promise.all(Array.from({ length: 6 }, () => checkout(body, 'key-hank')));
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
      expect(new Set(answers.map((a) => a.body.sagaId)).size).toBe(1);
      expect(await participants.stockOf('IDEM-2')).toMatchObject({ available: 9 });
    });

    it('refuses a key reused for a different checkout (422) and rejects a malformed key (400)', async () => {
      await participants.product('IDEM-3', 10);
      await checkout({ clientId: 'ivy', items: [{ sku: 'IDEM-3', quantity: 1 }], payment: visa }, 'key-ivy').expect(201);
      const reused = await checkout({ clientId: 'ivy', items: [{ sku: 'IDEM-3', quantity: 2 }], payment: visa }, 'key-ivy').expect(422);
      expect(reused.body.code).toBe('SAGA.IDEMPOTENCY_KEY_REUSED');
      const otherCard = await checkout({ clientId: 'ivy', items: [{ sku: 'IDEM-3', quantity: 1 }], payment: { token: 'tok_mastercard' } }, 'key-ivy').expect(422);
      expect(otherCard.body.code).toBe('SAGA.IDEMPOTENCY_KEY_REUSED');
      await checkout({ clientId: 'ivy', items: [{ sku: 'IDEM-3', quantity: 1 }], payment: visa }, 'has space').expect(400);
    });
  });

  it('answers 400 naming the field for bad input, 401 without a key, 404 for an unknown saga', async () => {
    const bad = await checkout({ clientId: 'x', items: [{ sku: 'A', quantity: 0 }], payment: { token: 'visa' } }).expect(400);
    expect(bad.body.fields).toEqual(expect.arrayContaining(['items.0.quantity', 'payment.token']));
    await checkout({ clientId: 'x', items: [], payment: visa }).expect(400);
    await api()
      .post('/api/saga/checkout')
      .send({ clientId: 'x', items: [{ sku: 'A', quantity: 1 }], payment: visa })
      .expect(401);
    await api().get('/api/saga/00000000-0000-4000-8000-000000000000/status').set('X-API-Key', TEST_API_KEY).expect(404);
    await api().get('/api/saga/not-a-uuid/status').set('X-API-Key', TEST_API_KEY).expect(400);
    await api().get('/api/saga/list').query({ state: 'NOPE' }).set('X-API-Key', TEST_API_KEY).expect(400);
  });

  it('lists sagas newest first, by state, page by page', async () => {
    const all = (await api().get('/api/saga/list').query({ limit: 100 }).set('X-API-Key', TEST_API_KEY).expect(200)).body;
    expect(all.nextCursor).toBeNull();
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (
        await api()
          .get('/api/saga/list')
          .query({ limit: 3, ...(cursor !== undefined && { cursor }) })
          .set('X-API-Key', TEST_API_KEY)
          .expect(200)
      ).body;
      pages.push(...page.items.map((s: { sagaId: string }) => s.sagaId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual(all.items.map((s: { sagaId: string }) => s.sagaId));
    const cancelled = (await api().get('/api/saga/list').query({ state: 'SAGA_ANNULEE' }).set('X-API-Key', TEST_API_KEY).expect(200)).body.items;
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((s: { state: string }) => s.state === 'SAGA_ANNULEE')).toBe(true);
  });

  it('exposes the saga metrics', async () => {
    const metrics = (await api().get('/metrics').expect(200)).text;
    const series = (name: string, labels: string) => new RegExp(`${name}\\{[^}]*${labels}[^}]*\\} [1-9]`);
    expect(metrics).toMatch(series('saga_started_total', 'app="saga-orchestrator"'));
    // Sagas not yet over, by state; succeeded and cancelled ones are counted by saga_completed_total and saga_failed_total.
    expect(metrics).toMatch(/saga_instances\{[^}]*state="COMPENSATION_ECHOUEE"[^}]*\} \d+/);
    expect(metrics).not.toMatch(/saga_instances\{[^}]*state="(SAGA_TERMINEE|SAGA_ANNULEE)"/);
    expect(metrics).toMatch(series('saga_failed_total', 'reason="ORDERS.OVER_LIMIT",step="order"'));
    expect(metrics).toMatch(series('checkout_duration_seconds_count', 'pattern="orchestrated",outcome="succeeded"'));
    expect(metrics).toMatch(series('external_service_call_duration_seconds_count', 'service="payments",operation="authorizePayment",outcome="ok"'));
    expect(metrics).toMatch(series('saga_state_duration_seconds_count', 'state="AUTORISATION_PAIEMENT"'));
  });
});
