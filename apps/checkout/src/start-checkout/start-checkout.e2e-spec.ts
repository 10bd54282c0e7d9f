import { type Server, type Socket, connect, createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { PaymentTokenOpener, SEALED_PAYMENT_TOKEN, STREAMS } from '@app/contracts';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, eventually, freePort, startTestApp, testConfig } from '@app/testing';
import { CheckoutModule } from '../checkout.module.js';

const visa = { token: 'tok_visa' };

/** A TCP relay to the real Redis that a test can cut and restore: Redis "goes away" without being touched. */
class RedisLink {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(readonly port: number) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const redis = connect(6379, '127.0.0.1');
      for (const socket of [client, redis]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.pipe(redis).pipe(client);
    });
    await new Promise<void>((done) => this.server!.listen(this.port, '127.0.0.1', done));
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((done) => this.server?.close(done));
  }
}

describe('checkout: POST /checkout/choreo', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: TestApp;
  let redis: Redis;
  let sql: pg.Pool;

  const choreo = (body: object, idempotencyKey?: string) => {
    const req = request(app.url).post('/checkout/choreo').set('X-API-Key', TEST_API_KEY);
    return (idempotencyKey === undefined ? req : req.set('Idempotency-Key', idempotencyKey)).send(body);
  };
  const initiatedOn = async (prefix: string) =>
    (await redis.xrange(`${prefix}${STREAMS.checkout}`, '-', '+')).map(([, fields]) => JSON.parse(fields[1]!)).filter((e) => e.type === 'CheckoutInitiated');
  const query = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => (await sql.query(text, params)).rows as T[];

  beforeAll(async () => {
    db = await createTestDatabase('checkout_choreo');
    config = testConfig({ CHECKOUT_DATABASE_URL: db.url });
    app = await startTestApp(CheckoutModule.register(config), 'checkout');
    redis = new Redis(config.REDIS_URL);
    sql = new pg.Pool({ connectionString: db.url });
  });

  afterAll(async () => {
    redis?.disconnect();
    await sql?.end();
    await app?.close();
    await db?.drop();
  });

  it('answers 202 PENDING with a Location, and publishes CheckoutInitiated with every field the next worker needs', async () => {
    const res = await choreo({
      clientId: 'alice',
      items: [
        { sku: 'B-1', quantity: 1 },
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-1', quantity: 3 },
      ],
      payment: visa,
    }).expect(202);
    const { checkoutId } = res.body as { checkoutId: string };
    expect(res.body).toEqual({ checkoutId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'PENDING' });
    expect(res.headers['location']).toBe(`/checkout/${checkoutId}`);
    const [event] = await eventually(async () => {
      const mine = (await initiatedOn(config.REDIS_KEY_PREFIX)).filter((e) => e.payload.checkoutId === checkoutId);
      expect(mine).toHaveLength(1);
      return mine;
    });
    expect(event).toEqual({
      eventId: expect.any(String),
      type: 'CheckoutInitiated',
      schemaVersion: 1,
      occurredAt: expect.any(String),
      correlationId: checkoutId,
      causationId: null,
      producer: 'checkout',
      payload: {
        checkoutId,
        clientId: 'alice',
        items: [
          { sku: 'A-1', quantity: 2 },
          { sku: 'B-1', quantity: 4 },
        ],
        paymentToken: expect.stringMatching(SEALED_PAYMENT_TOKEN),
      },
    });
    // The card token is sealed for payments, which alone opens it, for this checkout only.
    const opener = new PaymentTokenOpener(config.PAYMENT_TOKEN_PUBLIC_KEY, config.PAYMENT_TOKEN_PRIVATE_KEY);
    expect(opener.open(event.payload.paymentToken, checkoutId)).toBe('tok_visa');
    expect(opener.open(event.payload.paymentToken, 'another-checkout')).toBeUndefined();
    const [row] = await query<{ initiated_event_id: string; request: string }>(
      'SELECT initiated_event_id, request::text FROM checkout.checkouts WHERE checkout_id = $1',
      [checkoutId],
    );
    expect(row?.initiated_event_id).toBe(event.eventId);
    expect(JSON.stringify(event)).not.toContain('tok_visa');
    expect(row?.request).not.toContain('tok_visa');
    expect(await query('SELECT count(*)::int AS n FROM checkout.checkout_outbox')).toEqual([{ n: 0 }]);
  });

  describe('Idempotency-Key', () => {
    const body = { clientId: 'bob', items: [{ sku: 'I-1', quantity: 1 }], payment: visa };
    const accepted = async (key: string) => query('SELECT checkout_id FROM checkout.checkouts WHERE idempotency_key = $1', [key]);

    it('returns the first checkout to a retry, and records and publishes it once', async () => {
      const first = await choreo(body, 'key-bob').expect(202);
      const again = await choreo({ ...body, items: [{ sku: 'I-1', quantity: 1 }] }, 'key-bob').expect(202);
      expect(again.body).toEqual(first.body);
      expect(again.headers['location']).toBe(first.headers['location']);
      expect(await accepted('key-bob')).toHaveLength(1);
      await eventually(async () =>
        expect((await initiatedOn(config.REDIS_KEY_PREFIX)).filter((e) => e.payload.checkoutId === first.body.checkoutId)).toHaveLength(1),
      );
    });

    it('gives six concurrent retries one checkout', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => choreo(body, 'key-bob-concurrent')));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
      expect(new Set(answers.map((a) => a.body.checkoutId)).size).toBe(1);
      expect(await accepted('key-bob-concurrent')).toHaveLength(1);
      await eventually(async () =>
        expect((await initiatedOn(config.REDIS_KEY_PREFIX)).filter((e) => e.payload.checkoutId === answers[0]!.body.checkoutId)).toHaveLength(1),
      );
    });

    it('refuses the key with another purchase (422) and a malformed key (400)', async () => {
      const first = await choreo(body, 'key-reused').expect(202);
      const reused = await choreo({ ...body, payment: { token: 'tok_chargeDeclined' } }, 'key-reused').expect(422);
      expect(reused.body).toMatchObject({ code: 'CHECKOUT.IDEMPOTENCY_KEY_REUSED', checkoutId: first.body.checkoutId });
      expect((await choreo(body, 'has space').expect(400)).body.fields).toEqual(['Idempotency-Key']);
    });
  });

  it('answers 400 naming the fields, 401 without a key, and records nothing for either', async () => {
    const before = await query('SELECT count(*)::int AS n FROM checkout.checkouts');
    const bad = await choreo({ clientId: 'x y', items: [{ sku: 'A', quantity: 0 }], payment: { token: 'visa' } }).expect(400);
    expect(bad.body.fields).toEqual(expect.arrayContaining(['clientId', 'items.0.quantity', 'payment.token']));
    expect((await choreo({ clientId: 'x', items: [], payment: visa }).expect(400)).body.fields).toEqual(['items']);
    expect((await choreo({ clientId: 'x', items: [{ sku: 'A', quantity: 1 }] }).expect(400)).body.fields).toContain('payment');
    await request(app.url)
      .post('/checkout/choreo')
      .send({ clientId: 'x', items: [{ sku: 'A', quantity: 1 }], payment: visa })
      .expect(401);
    expect(await query('SELECT count(*)::int AS n FROM checkout.checkouts')).toEqual(before);
  });

  it('relays what an instance left in the outbox (it crashed between its commit and the relay)', async () => {
    const leftover = {
      eventId: '00000000-0000-4000-8000-00000000c0de',
      type: 'CheckoutInitiated',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: 'left-1',
      causationId: null,
      producer: 'checkout',
      payload: { checkoutId: 'left-1', clientId: 'dan', items: [{ sku: 'L-1', quantity: 1 }], paymentToken: 'tok_visa' },
    };
    await query('INSERT INTO checkout.checkout_outbox (envelope) VALUES ($1)', [JSON.stringify(leftover)]);
    await eventually(async () => expect((await initiatedOn(config.REDIS_KEY_PREFIX)).filter((e) => e.eventId === leftover.eventId)).toEqual([leftover]), {
      timeoutMs: 5_000,
    });
  });

  it('accepts checkouts while Redis is unreachable, and publishes them once it is back', async () => {
    const link = new RedisLink(await freePort());
    await link.up();
    // A database of its own: an instance on another bus sharing this outbox would relay the row to its own bus when notified.
    const ownDb = await createTestDatabase('checkout_choreo_redis_down');
    const ownSql = new pg.Pool({ connectionString: ownDb.url });
    const ownQuery = async <T = Record<string, unknown>>(text: string): Promise<T[]> => (await ownSql.query(text)).rows as T[];
    const linked = testConfig({ CHECKOUT_DATABASE_URL: ownDb.url, REDIS_URL: `redis://127.0.0.1:${link.port}` });
    const isolated = await startTestApp(CheckoutModule.register(linked, { settings: { outbox: { batchSize: 100, delayMs: 5, intervalMs: 200 } } }), 'checkout');
    try {
      await link.down();
      const res = await request(isolated.url)
        .post('/checkout/choreo')
        .set('X-API-Key', TEST_API_KEY)
        .send({ clientId: 'carl', items: [{ sku: 'R-1', quantity: 1 }], payment: visa })
        .expect(202);
      const { checkoutId } = res.body as { checkoutId: string };
      const queued = await ownQuery<{ envelope: { payload: { checkoutId: string } } }>('SELECT envelope FROM checkout.checkout_outbox');
      expect(queued.map((r) => r.envelope.payload.checkoutId)).toContain(checkoutId);
      expect(await initiatedOn(linked.REDIS_KEY_PREFIX)).toEqual([]);

      await link.up();
      const published = await eventually(
        async () => {
          const mine = (await initiatedOn(linked.REDIS_KEY_PREFIX)).filter((e) => e.payload.checkoutId === checkoutId);
          expect(mine).toHaveLength(1);
          return mine;
        },
        { timeoutMs: 20_000 },
      );
      expect(published[0].payload).toMatchObject({ checkoutId, clientId: 'carl' });
      await eventually(async () => expect(await ownQuery('SELECT count(*)::int AS n FROM checkout.checkout_outbox')).toEqual([{ n: 0 }]));
    } finally {
      await isolated.close();
      await link.down();
      await ownSql.end();
      await ownDb.drop();
    }
  }, 40_000);
});
