import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { BOOT_TIMEOUT_MS, ROOT, ServiceProcess, TEST_API_KEY, type TestDatabase, createTestDatabase, ensureFreshBuild } from '@app/testing';
import { declaredRoutes } from '../hostile-input/declared-routes.js';

/** The routes every HTTP app gets from libs/http-app, besides its own controllers'. */
const SHARED_ROUTES = ['GET /health', 'GET /health/key', 'GET /health/live', 'GET /metrics'];

/** `METHOD /path` of every operation of an OpenAPI document, with `{param}` written `:param` as the controllers declare it. */
function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
    .sort();
}

describe('the OpenAPI document of every HTTP app', () => {
  let db: TestDatabase;
  const apps = new Map<string, ServiceProcess>();

  beforeAll(async () => {
    await ensureFreshBuild();
    db = await createTestDatabase('open_api');
    const env: Record<string, string> = {
      API_KEYS: TEST_API_KEY,
      REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
      ...Object.fromEntries(
        ['INVENTORY', 'ORDERS', 'PAYMENTS', 'SAGA', 'CHECKOUT', 'EVENT_STORE', 'NOTIFICATIONS', 'SHIPPING'].map((s) => [`${s}_DATABASE_URL`, db.url]),
      ),
    };
    // One at a time: they share one database, and each runs its own migrations at start.
    for (const name of ['inventory', 'orders', 'payments', 'saga-orchestrator', 'checkout', 'event-store', 'payment-worker', 'shipping']) {
      apps.set(name, await ServiceProcess.start(name, env));
    }
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await db?.drop();
  });

  it.each(['inventory', 'orders', 'payments', 'saga-orchestrator', 'checkout', 'event-store', 'payment-worker', 'shipping'])(
    '%s: served without a key at /api-docs-json, naming every route of the app and the X-API-Key scheme',
    async (name) => {
      const app = apps.get(name)!;
      const res = await request(app.url).get('/api-docs-json').expect(200);
      expect(res.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: name } });
      expect(res.body.components.securitySchemes['api-key']).toEqual({ type: 'apiKey', name: 'X-API-Key', in: 'header' });
      const own = await declaredRoutes(ROOT, [name]);
      expect(documentedRoutes(res.body)).toEqual([...own, ...SHARED_ROUTES].sort());
      // The UI that reads it, for a browser.
      const ui = await request(app.url).get('/api-docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger-ui');
    },
  );

  it('describes request bodies from the DTOs and operations from their comments (the Nest CLI plugin of the build)', async () => {
    const { body } = await request(apps.get('saga-orchestrator')!.url).get('/api-docs-json').expect(200);
    const checkout = body.paths['/api/saga/checkout'].post;
    expect(checkout.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CheckoutRequestDto' });
    expect(body.components.schemas.CheckoutRequestDto).toMatchObject({
      required: expect.arrayContaining(['clientId', 'items', 'payment']),
      properties: { clientId: { type: 'string' }, items: { type: 'array', minItems: 1 }, payment: { $ref: '#/components/schemas/PaymentDto' } },
    });
    expect(checkout.summary).toMatch(/SAGA_TERMINEE/);
  });
});
