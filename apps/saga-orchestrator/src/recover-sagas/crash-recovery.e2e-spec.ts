import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { STREAMS } from '@app/contracts';
import {
  TEST_API_KEY,
  type TestDatabase,
  createTestDatabase,
  eventually,
  testConfig,
  BOOT_TIMEOUT_MS,
  ORDER_LIMIT_CENTS,
  Participants,
  ServiceProcess,
} from '@app/testing';

const CHECKOUTS = 120;
const STOCK = { 'HOT-1': 60, 'HOT-2': 90, 'LUX-1': 10 } as const;
/** Checkouts in flight at once: a steady stream, so the kill finds sagas at every step. */
const CONCURRENCY = 24;
const RUNNING = ['VERIFICATION_STOCK', 'RESERVATION_STOCK', 'CREATION_COMMANDE', 'AUTORISATION_PAIEMENT', 'CONFIRMATION_COMMANDE', 'COMPENSATION_EN_COURS'];
type Sku = keyof typeof STOCK;

/** Checkout `i` of the load: mostly ordinary, with every failure of the architecture page mixed in. */
function checkoutOf(i: number) {
  if (i % 10 === 0) return { clientId: `c${i}`, items: [{ sku: 'HOT-1', quantity: 1 }], payment: { token: 'tok_chargeDeclined' } };
  if (i % 10 === 1) return { clientId: `c${i}`, items: [{ sku: 'LUX-1', quantity: 2 }], payment: { token: 'tok_visa' } };
  return { clientId: `c${i}`, items: [{ sku: i % 2 === 0 ? 'HOT-1' : 'HOT-2', quantity: 1 + (i % 3) }], payment: { token: 'tok_visa' } };
}

/**
 * The orchestrator as production runs it, in a process of its own, killed with SIGKILL in the
 * middle of a load and started again: every saga must still end in a terminal state with the
 * invariants of the architecture page holding.
 */
describe('saga orchestrator: crash recovery across processes', () => {
  let participants: Participants;
  let sagaDb: TestDatabase;
  let config: AppConfig;
  let orchestrator: ServiceProcess;
  let sagaSql: pg.Pool;
  let inventorySql: pg.Pool;

  const checkout = (i: number) =>
    request(orchestrator.url).post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY).set('Idempotency-Key', `crash-${i}`).send(checkoutOf(i));

  const sagaStates = async () =>
    (
      await sagaSql.query<{ id: string; checkout_id: string; idempotency_key: string; state: string }>(
        'SELECT id, checkout_id, idempotency_key, state FROM sagas',
      )
    ).rows;

  beforeAll(async () => {
    // Participants that are slow and flaky at times, so the kill lands in the middle of sagas.
    participants = await Participants.start({
      label: 'saga_crash',
      apiKey: TEST_API_KEY,
      createDatabase: createTestDatabase,
      env: { FAULT_DELAY_RATE: '0.3', FAULT_DELAY_MS: '40', FAULT_ERROR_RATE: '0.05' },
    });
    sagaDb = await createTestDatabase('saga_crash_orchestrator');
    config = testConfig({});
    sagaSql = new pg.Pool({ connectionString: sagaDb.url, options: '-c search_path=saga', max: 2 });
    inventorySql = new pg.Pool({ connectionString: participants.inventoryDatabaseUrl, options: '-c search_path=inventory', max: 2 });
    await participants.product('HOT-1', STOCK['HOT-1'], 1_000);
    await participants.product('HOT-2', STOCK['HOT-2'], 2_500);
    await participants.product('LUX-1', STOCK['LUX-1'], ORDER_LIMIT_CENTS);
    orchestrator = await ServiceProcess.start('saga-orchestrator', {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      SAGA_DATABASE_URL: sagaDb.url,
      ...participants.urls,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      PARTICIPANT_TIMEOUT_MS: '1000',
      PARTICIPANT_RETRIES: '3',
    });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await orchestrator?.kill();
    await Promise.all([sagaSql?.end(), inventorySql?.end()]);
    await participants?.stop();
    await sagaDb?.drop();
  });

  it('brings every saga to a terminal state after a SIGKILL under load, with stock, orders and payments consistent', async () => {
    // A steady load, killed once sagas are in flight at several steps and others have finished.
    let next = 0;
    const answers: (number | 'no answer')[] = [];
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < CHECKOUTS; i = next++)
          answers[i] = await checkout(i).then(
            (r) => r.status,
            () => 'no answer' as const,
          );
      }),
    );
    await eventually(
      async () => {
        const states = (await sagaStates()).map((s) => s.state);
        expect(states.filter((s) => !RUNNING.includes(s)).length).toBeGreaterThanOrEqual(30);
        expect(new Set(states.filter((s) => RUNNING.includes(s))).size).toBeGreaterThanOrEqual(3);
      },
      { timeoutMs: 30_000, intervalMs: 5 },
    );
    await orchestrator.kill();
    const atCrash = await sagaStates();
    expect(atCrash.filter((s) => RUNNING.includes(s.state)).length).toBeGreaterThan(0);
    await load;
    expect(answers.filter((a) => a === 'no answer').length).toBeGreaterThan(0);

    // Restart: the same requests retried with their keys get their first saga, or one created now.
    await orchestrator.restart();
    const retried = await Promise.all(Array.from({ length: CHECKOUTS }, (_, i) => checkout(i)));
    const sagaIdOfKey = new Map(atCrash.map((s) => [s.idempotency_key, s.id]));
    retried.forEach((answer, i) => {
      expect([201, 409]).toContain(answer.status);
      expect(answer.body.state).toBe(answer.status === 201 ? 'SAGA_TERMINEE' : 'SAGA_ANNULEE');
      const first = sagaIdOfKey.get(`crash-${i}`);
      if (first !== undefined) expect(answer.body.sagaId).toBe(first);
    });

    // Every saga is terminal and exactly one exists per request.
    const final = await sagaStates();
    expect(final).toHaveLength(CHECKOUTS);
    expect(final.every((s) => s.state === 'SAGA_TERMINEE' || s.state === 'SAGA_ANNULEE')).toBe(true);
    const recovered = await sagaSql.query('SELECT DISTINCT saga_id FROM saga_transitions WHERE attempt > 1');
    expect(recovered.rowCount).toBeGreaterThan(0);

    // Stock conservation per SKU: initial = available + units held by reservations not released; nothing left merely reserved.
    const { rows: levels } = await inventorySql.query<{ sku: Sku; available: number; reserved: number; held: string }>(
      `SELECT p.sku, p.available, p.reserved, COALESCE(SUM((i->>'quantity')::int) FILTER (WHERE r.status <> 'RELEASED'), 0) AS held
       FROM products p LEFT JOIN reservations r ON true LEFT JOIN LATERAL jsonb_array_elements(r.items) i ON i->>'sku' = p.sku
       GROUP BY p.sku, p.available, p.reserved`,
    );
    for (const level of levels) {
      expect({ sku: level.sku, total: level.available + Number(level.held), reserved: level.reserved }).toEqual({
        sku: level.sku,
        total: STOCK[level.sku],
        reserved: 0,
      });
      expect(level.available).toBeGreaterThanOrEqual(0);
    }

    // Succeeded: one confirmed order, one authorization of its total, a confirmed reservation. Failed: nothing live.
    for (const saga of final) {
      const [orders, authorization, reservation] = await Promise.all([
        participants.ordersOf(saga.checkout_id),
        participants.authorizationOf(saga.checkout_id),
        participants.reservationOf(saga.checkout_id),
      ]);
      if (saga.state === 'SAGA_TERMINEE') {
        expect(orders).toEqual([expect.objectContaining({ status: 'CONFIRMED' })]);
        expect(authorization).toMatchObject({ status: 'AUTHORIZED', amountCents: orders[0]!.totalCents });
        expect(reservation).toMatchObject({ status: 'CONFIRMED' });
      } else {
        expect(orders.filter((o) => o.status !== 'CANCELLED')).toEqual([]);
        expect(authorization?.status).not.toBe('AUTHORIZED');
        expect(reservation === undefined || reservation.status === 'RELEASED').toBe(true);
      }
    }

    // Every transition reached the bus once the outbox drained (a relay cut by the kill may repeat one: same event id).
    const redis = new Redis(config.REDIS_URL);
    try {
      await eventually(async () => {
        expect((await sagaSql.query('SELECT count(*)::int AS n FROM saga_outbox')).rows[0].n).toBe(0);
      });
      const { rows: counts } = await sagaSql.query<{ saga_id: string; n: number }>('SELECT saga_id, count(*)::int AS n FROM saga_transitions GROUP BY saga_id');
      const entries = await redis.xrange(`${config.REDIS_KEY_PREFIX}${STREAMS.saga}`, '-', '+');
      const eventIds = new Map<string, Set<string>>();
      for (const [, fields] of entries) {
        const event = JSON.parse(fields[1]!) as { eventId: string; correlationId: string };
        eventIds.set(event.correlationId, (eventIds.get(event.correlationId) ?? new Set()).add(event.eventId));
      }
      expect(counts.filter((c) => eventIds.get(c.saga_id)?.size !== c.n)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
