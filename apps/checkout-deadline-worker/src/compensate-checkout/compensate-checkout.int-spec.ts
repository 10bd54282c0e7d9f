import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { CheckoutDeadlineWorkerModule } from '../checkout-deadline-worker.module.js';

/** What a participant saw of the checkout's row while it was being called. */
interface CallSeen {
  path: string;
  /** Whether another session could lock the checkout's row at that moment. */
  rowLockable: boolean;
  /** Sessions of the worker's database idle inside a transaction at that moment. */
  idleInTransaction: number;
}

/**
 * Claim, call, record, against PostgreSQL: the participants are a stand-in that, while it is being
 * called, looks at the database from a session of its own. Two worker instances share the schema.
 */
describe('checkout-deadline worker: compensation claims (PostgreSQL)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let sql: pg.Pool;
  let participants: Server;
  let instances: TestApp[];
  let calls: CallSeen[];

  async function seen(path: string): Promise<CallSeen> {
    const checkoutId = /\/(?:by-checkout|authorizations|reservations)\/([^/]+)\//.exec(path)?.[1] ?? '';
    const client = await sql.connect();
    try {
      await client.query('BEGIN');
      let rowLockable = true;
      try {
        await client.query('SELECT 1 FROM checkout_deadline.watched_checkouts WHERE checkout_id = $1 FOR UPDATE NOWAIT', [checkoutId]);
      } catch {
        rowLockable = false;
      }
      await client.query('ROLLBACK');
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
      );
      return { path, rowLockable, idleInTransaction: rows[0]!.n };
    } finally {
      client.release();
    }
  }

  /** Answers each compensation as its participant would, slowly enough for two instances to overlap. */
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    calls.push(await seen(path));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const checkoutId = path.split('/').at(-2);
    const body = path.startsWith('/orders')
      ? { checkoutId, status: 'CANCELLED', orderId: `order-${checkoutId}` }
      : path.startsWith('/payments')
        ? { checkoutId, status: 'VOIDED', amountCents: 100 }
        : { checkoutId, status: 'RELEASED', items: [] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  const watch = (checkoutId: string, claim?: { by: string; forMs: number }) =>
    sql.query(
      `INSERT INTO checkout_deadline.watched_checkouts (checkout_id, client_id, initiated_event_id, accepted_at, claimed_by, claimed_until)
       VALUES ($1, 'ann', $2, now() - interval '1 hour', $3, now() + $4::int * interval '1 millisecond')`,
      [checkoutId, `init-${checkoutId}`, claim?.by ?? null, claim?.forMs ?? null],
    );
  const compensate = (instance: TestApp, checkoutId: string) => request(instance.url).post(`/checkout/${checkoutId}/compensate`).set('X-API-Key', TEST_API_KEY);
  const outboxOf = async (checkoutId: string) =>
    (await sql.query(`SELECT envelope->>'type' AS type FROM checkout_deadline.deadline_outbox WHERE envelope->>'correlationId' = $1 ORDER BY id`, [checkoutId]))
      .rows;

  beforeAll(async () => {
    db = await createTestDatabase('deadline_claims');
    participants = createServer((req, res) => void answer(req, res));
    await new Promise<void>((resolve) => participants.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(participants.address() as AddressInfo).port}`;
    config = testConfig({
      CHECKOUT_DEADLINE_DATABASE_URL: db.url,
      INVENTORY_URL: url,
      ORDERS_URL: url,
      PAYMENTS_URL: url,
      CHECKOUT_AUTO_COMPENSATE: false,
      CHECKOUT_STUCK_SCAN_INTERVAL_MS: 60_000,
    });
    // The outbox is left unrelayed (no sweep within the test), so what each compensation queued can be counted.
    const module = () =>
      CheckoutDeadlineWorkerModule.register(config, { settings: { claimMs: 1_500, outbox: { batchSize: 1, delayMs: 60_000, intervalMs: 600_000 } } });
    instances = [await startTestApp(module(), 'deadline-a'), await startTestApp(module(), 'deadline-b')];
    sql = new pg.Pool({ connectionString: db.url, max: 4 });
  });

  beforeEach(() => {
    calls = [];
  });

  afterAll(async () => {
    for (const instance of instances ?? []) await instance.close();
    await new Promise((resolve) => participants?.close(resolve));
    await sql?.end();
    await db?.drop();
  });

  it('calls the participants with no transaction open and the checkout row free, then records the compensation', async () => {
    await watch('c-free');
    const res = await compensate(instances[0]!, 'c-free').expect(200);
    expect(res.body).toMatchObject({ checkoutId: 'c-free', status: 'COMPENSATED', orderId: 'order-c-free', code: 'CHECKOUT.DEADLINE_EXCEEDED' });
    expect(calls).toEqual([
      { path: '/orders/by-checkout/c-free/cancel', rowLockable: true, idleInTransaction: 0 },
      { path: '/payments/authorizations/c-free/void', rowLockable: true, idleInTransaction: 0 },
      { path: '/inventory/reservations/c-free/release', rowLockable: true, idleInTransaction: 0 },
    ]);
    const { rows } = await sql.query('SELECT claimed_by, compensated_at FROM checkout_deadline.watched_checkouts WHERE checkout_id = $1', ['c-free']);
    expect(rows).toEqual([{ claimed_by: null, compensated_at: expect.any(Date) }]);
    expect(await outboxOf('c-free')).toEqual([{ type: 'OrderCancelled' }, { type: 'StockReleased' }, { type: 'CheckoutFailed' }]);
  });

  it('asked on two instances at once, compensates once and both answer the same; a repeat calls nobody', async () => {
    await watch('c-race');
    const [a, b] = await Promise.all([compensate(instances[0]!, 'c-race'), compensate(instances[1]!, 'c-race')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(calls.map((c) => c.path)).toEqual([
      '/orders/by-checkout/c-race/cancel',
      '/payments/authorizations/c-race/void',
      '/inventory/reservations/c-race/release',
    ]);
    expect(await outboxOf('c-race')).toHaveLength(3);
    expect((await compensate(instances[1]!, 'c-race').expect(200)).body).toEqual(a.body);
    expect(calls).toHaveLength(3);
  });

  it('takes over the claim of an instance that died while compensating, once its lease lapses', async () => {
    await watch('c-lapsed', { by: 'a-crashed-instance', forMs: 500 });
    const res = await compensate(instances[1]!, 'c-lapsed').expect(200);
    expect(res.body).toMatchObject({ checkoutId: 'c-lapsed', status: 'COMPENSATED' });
    expect(calls.map((c) => c.path)).toHaveLength(3);
    expect(await outboxOf('c-lapsed')).toHaveLength(3);
  });

  it('answers 404 for a checkout it never saw initiated, and calls nobody', async () => {
    expect((await compensate(instances[0]!, 'c-unknown').expect(404)).body).toMatchObject({ code: 'CHECKOUT.NOT_FOUND' });
    expect(calls).toEqual([]);
  });
});
