import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { BOOT_TIMEOUT_MS, Participants, ServiceProcess, TEST_API_KEY, type TestDatabase, createTestDatabase, eventually } from '@app/testing';
import { type GrafanaDashboard, RATE_WINDOW, renderDashboards } from '../../scripts/grafana-dashboards.mjs';
import { HTTP_APPS, WORKERS } from '../../scripts/system.mjs';
import { PrometheusServer, isInstalled, promtoolCheckMetrics } from './prometheus.process.js';
import { metricNamesOf, sampleNamesOf } from './promql.names.js';

/** Every panel query, as Prometheus is asked it directly (Grafana fills in the rate window). */
const queries = renderDashboards().flatMap(({ json }) => {
  const dashboard = JSON.parse(json) as GrafanaDashboard;
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({ where: `${dashboard.uid} / ${panel.title} / ${t.refId}`, expr: t.expr.replaceAll(RATE_WINDOW, '1m') })),
  );
});

const jsonLines = (logs: string): Record<string, unknown>[] =>
  logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const line = (sku: string, quantity: number, token: string) => ({ clientId: 'obs-client', items: [{ sku, quantity }], payment: { token } });
/** Two that succeed, one declined card (compensated: order cancelled, stock released), one refused for stock. */
const MIX = [
  { body: line('OBS-1', 1, 'tok_visa'), ok: true },
  { body: line('OBS-1', 2, 'tok_visa'), ok: true },
  { body: line('OBS-1', 1, 'tok_chargeDeclined'), ok: false },
  { body: line('OBS-RARE', 5, 'tok_visa'), ok: false },
];

describe('observability of the whole system: /metrics, JSON logs, and the dashboards against a real Prometheus', () => {
  const apps = new Map<string, ServiceProcess>();
  const databases: TestDatabase[] = [];
  let participants: Participants;
  let prometheus: PrometheusServer;
  const ids = { orchestrated: '', choreographed: '' };

  const app = (name: string): ServiceProcess => {
    const service = apps.get(name);
    if (service === undefined) throw new Error(`${name} is not running`);
    return service;
  };
  const expositions = () => Promise.all([...apps.values()].map(async (service) => ({ service, text: await (await fetch(`${service.url}/metrics`)).text() })));

  beforeAll(async () => {
    if (!isInstalled('prometheus') || !isInstalled('promtool')) throw new Error('This test runs Prometheus and promtool: apt-get install -y prometheus');
    // ServiceProcess adds one exit listener per child process, and this test starts all sixteen apps.
    process.setMaxListeners(32);
    const prefix = `test:${randomBytes(4).toString('hex')}:`;
    participants = await Participants.start({
      label: 'obs',
      apiKey: TEST_API_KEY,
      createDatabase: createTestDatabase,
      env: { REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'debug' },
    });
    for (const service of [participants.inventory, participants.orders, participants.payments]) apps.set(service.name, service);
    const [saga, events, checkout, notifications] = await Promise.all(['saga', 'events', 'checkout', 'notify'].map((l) => createTestDatabase(`obs_${l}`)));
    databases.push(saga!, events!, checkout!, notifications!);
    const env = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'debug',
      ...participants.urls,
      SAGA_DATABASE_URL: saga!.url,
      EVENT_STORE_DATABASE_URL: events!.url,
      CHECKOUT_DATABASE_URL: checkout!.url,
      NOTIFICATIONS_DATABASE_URL: notifications!.url,
      CHECKOUT_DEADLINE_DATABASE_URL: checkout!.url,
    };
    const start = async (name: string, extra: Record<string, string> = {}) => void apps.set(name, await ServiceProcess.start(name, { ...env, ...extra }));
    await start('saga-orchestrator');
    await start('event-store');
    await start('checkout', { SAGA_ORCHESTRATOR_URL: app('saga-orchestrator').url });
    await start('shipping', { SHIPPING_DATABASE_URL: checkout!.url });
    // Two at a time: each worker boots a Nest app, and the machine may have two cores.
    const workers = WORKERS.map((w) => w.name);
    for (let i = 0; i < workers.length; i += 2) await Promise.all(workers.slice(i, i + 2).map((name) => start(name)));
    await start('console', {
      SAGA_ORCHESTRATOR_URL: app('saga-orchestrator').url,
      CHECKOUT_URL: app('checkout').url,
      EVENT_STORE_URL: app('event-store').url,
      CHOREOGRAPHY_METRICS_URL: app('cqrs-projection-worker').url,
    });
    prometheus = await PrometheusServer.start([...apps.values()].map((service) => ({ name: service.name, address: `127.0.0.1:${service.port}` })));
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all([...apps.values()].map((service) => service.stop()));
    // The participants are stopped by now; this drops their databases.
    await participants?.stop();
    await Promise.all(databases.map((db) => db.drop()));
  }, 60_000);

  it('runs every app of scripts/system.mjs', () => {
    expect([...apps.keys()].sort()).toEqual([...HTTP_APPS, ...WORKERS].map((a) => a.name).sort());
  });

  it('runs checkouts of both styles to their terminal state', async () => {
    await participants.product('OBS-1', 1_000, 1_250);
    await participants.product('OBS-RARE', 1, 9_900);
    for (const { body, ok } of MIX) {
      const res = await request(app('saga-orchestrator').url).post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY).send(body);
      expect(res.status).toBe(ok ? 201 : 409);
      if (ok) ids.orchestrated = res.body.sagaId;
    }
    const accepted = [];
    for (const { body, ok } of MIX) {
      const res = await request(app('checkout').url).post('/checkout/choreo').set('X-API-Key', TEST_API_KEY).send(body).expect(202);
      accepted.push({ id: res.body.checkoutId as string, ok });
      if (ok) ids.choreographed = res.body.checkoutId;
    }
    for (const { id, ok } of accepted) {
      const status = await eventually(
        async () => {
          const res = await request(app('checkout').url).get(`/checkout/${id}`).set('X-API-Key', TEST_API_KEY).expect(200);
          if (res.body.status === 'PENDING') throw new Error(`checkout ${id} is still PENDING`);
          return res.body.status as string;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(status).toBe(ok ? 'SUCCEEDED' : 'FAILED');
    }
  }, 120_000);

  it('logs JSON lines carrying the checkout’s correlation id in every process its path crossed', () => {
    const carries = (name: string, id: string) => ({ name, carries: jsonLines(app(name).logs).some((l) => l['correlationId'] === id && l['app'] === name) });
    for (const name of ['saga-orchestrator', 'inventory', 'orders', 'payments']) expect(carries(name, ids.orchestrated)).toEqual({ name, carries: true });
    const path = ['stock-reservation-worker', 'order-creation-worker', 'payment-worker', 'order-confirmation-worker', 'inventory', 'orders', 'payments'];
    for (const name of path) expect(carries(name, ids.choreographed)).toEqual({ name, carries: true });
  });

  it('serves /metrics on every app, labelled with the app, in a format promtool accepts', async () => {
    for (const { service, text } of await expositions()) {
      expect({ app: service.name, ...promtoolCheckMetrics(text) }).toEqual({ app: service.name, status: 0, problems: '' });
      expect(text).toContain(`app="${service.name}"`);
    }
  });

  it('exposes every metric the dashboards query, from some app', async () => {
    const exposed = new Set((await expositions()).flatMap(({ text }) => [...sampleNamesOf(text)]));
    const queried = new Set(queries.flatMap((q) => metricNamesOf(q.expr)));
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('answers every dashboard panel query with at least one series, from a real Prometheus scraping the apps', async () => {
    // Prometheus lists its targets a few seconds after it is ready, then scrapes each.
    const allUp = Object.fromEntries([...apps.keys()].map((name) => [name, 'up']));
    await eventually(async () => expect(await prometheus.targetHealth()).toEqual(allUp), { timeoutMs: 30_000, intervalMs: 500 });
    await eventually(
      async () => {
        const empty: string[] = [];
        for (const { where, expr } of queries) if ((await prometheus.query(expr)).length === 0) empty.push(`${where}: ${expr}`);
        expect(empty).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  }, 120_000);
});
