import request from 'supertest';
import { BOOT_TIMEOUT_MS, ROOT, ServiceProcess, TEST_API_KEY, type TestDatabase, createTestDatabase, ensureFreshBuild } from '@app/testing';
import { randomBytes } from 'node:crypto';
import { snapshotDatabase } from './database-snapshot.js';
import { declaredRoutes } from './declared-routes.js';
import { HOSTILE_PARAMS, type HostileBody, hostileBodies } from './hostile-values.js';
import { PUBLIC_ENDPOINTS, type PublicEndpoint, pathOf } from './public-endpoints.js';

/** Answers that are a clear refusal of the request itself. */
const REFUSALS = [400, 404, 413, 415, 422];

/** Runs `tasks` a few at a time, so the sweep is quick without flooding the apps. */
async function inBatches<T>(tasks: (() => Promise<T>)[], size = 16): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += size) results.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  return results;
}

interface Answer {
  what: string;
  status: number;
  body: unknown;
}

describe('hostile input on every public endpoint', () => {
  let db: TestDatabase;
  let notificationsDb: TestDatabase;
  let shippingDb: TestDatabase;
  const apps = new Map<string, ServiceProcess>();
  let before: Record<string, string>;

  const urlOf = (endpoint: PublicEndpoint): string => apps.get(endpoint.app)!.url;
  const send = (endpoint: PublicEndpoint, path: string, key: string | undefined, body?: HostileBody): Promise<Answer> => {
    let req = request(urlOf(endpoint))[endpoint.method === 'GET' ? 'get' : endpoint.method === 'POST' ? 'post' : 'delete'](path);
    if (key !== undefined) req = req.set('X-API-Key', key);
    if (body !== undefined) req = req.set('Content-Type', body.contentType).send(body.body);
    return req.then((res) => ({ what: `${endpoint.method} ${path}${body ? ` with ${body.label}` : ''}`, status: res.status, body: res.body as unknown }));
  };
  const validBody = (endpoint: PublicEndpoint): HostileBody | undefined =>
    endpoint.body && { label: 'a valid body', body: JSON.stringify(endpoint.body.valid()), contentType: 'application/json' };

  beforeAll(async () => {
    await ensureFreshBuild();
    db = await createTestDatabase('hostile_input');
    notificationsDb = await createTestDatabase('hostile_input_notify');
    shippingDb = await createTestDatabase('hostile_input_ship');
    const env: Record<string, string> = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
      ...Object.fromEntries(
        ['INVENTORY', 'ORDERS', 'PAYMENTS', 'SAGA', 'CHECKOUT', 'EVENT_STORE', 'NOTIFICATIONS', 'CHECKOUT_DEADLINE'].map((s) => [`${s}_DATABASE_URL`, db.url]),
      ),
    };
    // One at a time: they share one database, and each runs its own migrations at start.
    for (const name of ['inventory', 'orders', 'payments']) apps.set(name, await ServiceProcess.start(name, env));
    const urls = { INVENTORY_URL: apps.get('inventory')!.url, ORDERS_URL: apps.get('orders')!.url, PAYMENTS_URL: apps.get('payments')!.url };
    apps.set('saga-orchestrator', await ServiceProcess.start('saga-orchestrator', { ...env, ...urls }));
    apps.set('event-store', await ServiceProcess.start('event-store', env));
    // On a database of its own: it notifies the swept checkouts as their events arrive, after the snapshots of their requests.
    apps.set('notification-worker', await ServiceProcess.start('notification-worker', { ...env, NOTIFICATIONS_DATABASE_URL: notificationsDb.url }));
    apps.set('checkout-deadline-worker', await ServiceProcess.start('checkout-deadline-worker', { ...env, ...urls }));
    // On a database of its own too: it registers the parcels of checkouts that succeed as their events arrive.
    apps.set('shipping', await ServiceProcess.start('shipping', { ...env, ...urls, SHIPPING_DATABASE_URL: shippingDb.url }));
    apps.set(
      'checkout',
      await ServiceProcess.start('checkout', {
        ...env,
        ...urls,
        SAGA_ORCHESTRATOR_URL: apps.get('saga-orchestrator')!.url,
        CHECKOUT_DEADLINE_WORKER_URL: apps.get('checkout-deadline-worker')!.url,
      }),
    );
    await request(apps.get('inventory')!.url)
      .post('/inventory/products')
      .set('X-API-Key', TEST_API_KEY)
      .send({ sku: 'HOSTILE-1', name: 'Hostile one', priceCents: 100, stock: 10 })
      .expect(200);
    before = await snapshotDatabase(db.url);
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await db?.drop();
    await notificationsDb?.drop();
    await shippingDb?.drop();
  });

  afterEach(async () => {
    // Whatever was sent, every app is still up.
    for (const [name, app] of apps) expect({ name, live: (await fetch(`${app.url}/health/live`)).ok }).toEqual({ name, live: true });
  });

  it('covers every route the apps declare (a new endpoint must join the sweep)', async () => {
    const swept = PUBLIC_ENDPOINTS.map((e) => `${e.method} ${e.path.replace(/\/$/, '')}`).sort();
    const declared = await declaredRoutes(ROOT, [...new Set(PUBLIC_ENDPOINTS.map((e) => e.app))]);
    expect(swept).toEqual(declared);
  });

  it('refuses a missing or wrong API key with 401 on every route, and changes nothing', async () => {
    const answers = await inBatches(
      PUBLIC_ENDPOINTS.flatMap((endpoint) => [undefined, 'wrong-key'].map((key) => () => send(endpoint, pathOf(endpoint), key, validBody(endpoint)))),
    );
    expect(answers.filter((a) => a.status !== 401)).toEqual([]);
    expect(await snapshotDatabase(db.url)).toEqual(before);
  });

  it('refuses hostile route parameters with 400 or 404, and changes nothing', async () => {
    const answers = await inBatches(
      PUBLIC_ENDPOINTS.flatMap((endpoint) =>
        [...endpoint.path.matchAll(/:([A-Za-z]+)/g)].flatMap(([, param]) =>
          HOSTILE_PARAMS.map((value) => () => send(endpoint, pathOf(endpoint, { param: param!, value }), TEST_API_KEY, validBody(endpoint))),
        ),
      ),
    );
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((a) => ![400, 404].includes(a.status))).toEqual([]);
    expect(await snapshotDatabase(db.url)).toEqual(before);
  });

  it('refuses hostile query parameters with a 400 naming the parameter', async () => {
    const answers = await inBatches(
      PUBLIC_ENDPOINTS.flatMap((endpoint) =>
        Object.entries(endpoint.query ?? {}).flatMap(([name, values]) =>
          values.map((value) => async () => {
            const path = pathOf(endpoint, undefined, `${name}=${encodeURIComponent(value)}`);
            return { name, ...(await send(endpoint, path, TEST_API_KEY, validBody(endpoint))) };
          }),
        ),
      ),
    );
    expect(answers.length).toBeGreaterThan(30);
    expect(answers.filter((a) => a.status !== 400 || !JSON.stringify(a.body).includes(a.name))).toEqual([]);
    expect(await snapshotDatabase(db.url)).toEqual(before);
  });

  it('refuses every hostile body with a clear 4xx (naming the field when one field is wrong), and changes nothing', async () => {
    const answers = await inBatches(
      PUBLIC_ENDPOINTS.filter((endpoint) => endpoint.body !== undefined).flatMap((endpoint) =>
        hostileBodies(endpoint.body!).map((body) => async () => ({ names: body.names, ...(await send(endpoint, pathOf(endpoint), TEST_API_KEY, body)) })),
      ),
    );
    expect(answers.length).toBeGreaterThan(300);
    // A 413 refuses the whole body before it is parsed, so it cannot name a field.
    const unclear = answers.filter(
      (a) => !REFUSALS.includes(a.status) || (a.status !== 413 && a.names !== undefined && !JSON.stringify(a.body).includes(a.names)),
    );
    expect(unclear).toEqual([]);
    expect(await snapshotDatabase(db.url)).toEqual(before);
    // Several hundred requests to apps sharing two cores with the rest of the machine.
  }, 60_000);

  it('refuses a reservation naming an unknown SKU beside a known one, holding neither', async () => {
    const endpoint = PUBLIC_ENDPOINTS.find((e) => e.path === '/inventory/reservations')!;
    const body = {
      checkoutId: 'chk-unknown-sku',
      items: [
        { sku: 'HOSTILE-1', quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
    };
    const answer = await send(endpoint, endpoint.path, TEST_API_KEY, { label: 'an unknown SKU', body: JSON.stringify(body), contentType: 'application/json' });
    expect(answer).toMatchObject({ status: 404, body: { code: 'INVENTORY.UNKNOWN_SKU' } });
    // The refusal itself is recorded, so that a retried reservation gets the same answer; nothing is held.
    const { 'inventory.reservation_refusals': refusals, ...rest } = await snapshotDatabase(db.url);
    const { 'inventory.reservation_refusals': refusalsBefore, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(refusals).not.toEqual(refusalsBefore);
    const again = await send(endpoint, endpoint.path, TEST_API_KEY, {
      label: 'the same unknown SKU',
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
    expect(again).toEqual({ ...answer, what: again.what });
  });

  it('answers a replayed request as the first time and changes nothing more', async () => {
    const post =
      (app: string, path: string, body?: object, headers: Record<string, string> = {}) =>
      async () => {
        let req = request(apps.get(app)!.url).post(path).set('X-API-Key', TEST_API_KEY).set(headers);
        if (body !== undefined) req = req.send(body);
        const res = await req;
        return { status: res.status, body: res.body as unknown };
      };
    const items = [{ sku: 'HOSTILE-1', quantity: 2 }];
    const requests = [
      post('inventory', '/inventory/products', { sku: 'HOSTILE-3', name: 'Hostile three', priceCents: 250, stock: 4 }),
      post('inventory', '/inventory/reservations', { checkoutId: 'chk-replay', items }),
      post('orders', '/orders', { checkoutId: 'chk-replay', clientId: 'zoe', items: [{ ...items[0], unitPriceCents: 100 }] }),
      post('payments', '/payments/authorizations', { checkoutId: 'chk-replay', amountCents: 200, token: 'tok_visa' }),
      post('payments', '/payments/authorizations/chk-replay/void'),
      post('orders', '/orders/by-checkout/chk-replay/cancel'),
      post('inventory', '/inventory/reservations/chk-replay/release'),
      post('saga-orchestrator', '/api/saga/checkout', { clientId: 'zoe', items, payment: { token: 'tok_visa' } }, { 'Idempotency-Key': 'replayed-checkout-1' }),
      post('checkout', '/checkout/choreo', { clientId: 'zoe', items, payment: { token: 'tok_visa' } }, { 'Idempotency-Key': 'replayed-checkout-2' }),
    ];
    for (const run of requests) {
      const first = await run();
      expect(first.status).toBeLessThan(300);
      const afterFirst = await snapshotDatabase(db.url);
      const second = await run();
      expect(second).toEqual(first);
      expect(await snapshotDatabase(db.url)).toEqual(afterFirst);
    }
  });
});
