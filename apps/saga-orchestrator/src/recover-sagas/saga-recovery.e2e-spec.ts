import request from 'supertest';
import type { AppConfig } from '@app/config';
import type { CheckoutRequest } from '@app/contracts';
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
import { type SagaOrchestratorOverrides, SagaOrchestratorModule } from '../saga-orchestrator.module.js';
import type { SagaSettings } from '../saga-orchestrator.settings.js';
import type { SagaRecord } from '../saga/saga.mapper.js';
import { SagaRunner } from '../saga/saga.runner.js';

const FAST: Partial<SagaSettings> = { leaseMs: 600, heartbeatMs: 150, recoveryIntervalMs: 150 };
type Transition = { seq: number; from: string; to: string; attempt: number; detail: Record<string, unknown> };

/**
 * A crash without a process: an instance creates sagas (and maybe advances them) but never runs
 * them, then stops. Its leases lapse and other instances must pick the sagas up.
 */
describe('saga orchestrator: resuming sagas another instance left behind', () => {
  let participants: Participants;
  let sagaDb: TestDatabase;
  let config: AppConfig;
  const apps: TestApp[] = [];

  const start = async (overrides: SagaOrchestratorOverrides = {}) => {
    const app = await startTestApp(
      SagaOrchestratorModule.register(config, { ...overrides, settings: { ...FAST, ...overrides.settings } }),
      'saga-orchestrator',
    );
    apps.push(app);
    return app;
  };
  const stopAll = async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  };
  /** Starts sagas on an instance that checks their stock, records them, then "crashes" before going on. */
  const abandon = async (
    requests: CheckoutRequest[],
    prepare: (saga: SagaRecord) => Promise<unknown> = () => Promise.resolve(),
    settings: Partial<SagaSettings> = {},
  ) => {
    const crashing = await startTestApp(
      SagaOrchestratorModule.register(config, { settings: { ...FAST, recoveryIntervalMs: 3_600_000, ...settings } }),
      'crashing',
    );
    const runner = crashing.app.get(SagaRunner);
    const sagas: SagaRecord[] = [];
    for (const checkout of requests) {
      const { saga } = await runner.start(checkout, null);
      await prepare(saga);
      sagas.push(saga);
    }
    await crashing.close();
    return sagas;
  };
  const statusOf = async (app: TestApp, sagaId: string) =>
    (await request(app.url).get(`/api/saga/${sagaId}/status`).set('X-API-Key', TEST_API_KEY).expect(200)).body;
  const terminal = (app: TestApp, sagaId: string) =>
    eventually(async () => {
      const status = await statusOf(app, sagaId);
      expect(status.terminal).toBe(true);
      return status;
    });

  beforeAll(async () => {
    participants = await Participants.start({ label: 'saga_recover', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    sagaDb = await createTestDatabase('saga_recover_orchestrator');
    config = testConfig({ SAGA_DATABASE_URL: sagaDb.url, ...participants.urls, PARTICIPANT_TIMEOUT_MS: 1_000, PARTICIPANT_RETRIES: 2 });
  }, BOOT_TIMEOUT_MS);

  afterEach(stopAll);

  afterAll(async () => {
    await participants?.stop();
    await sagaDb?.drop();
  });

  it('goes forward with a saga whose step had taken effect before the crash, without repeating the effect', async () => {
    await participants.product('RES-1', 10, 300);
    // It verified the stock and reserved it, then died before recording the reservation.
    const [saga] = await abandon([{ clientId: 'u1', items: [{ sku: 'RES-1', quantity: 4 }], payment: { token: 'tok_visa' } }], (created) =>
      participants.reserve(created.checkoutId, [{ sku: 'RES-1', quantity: 4 }]),
    );
    expect(await participants.stockOf('RES-1')).toMatchObject({ available: 6, reserved: 4 });

    const survivor = await start();
    const status = await terminal(survivor, saga!.id);
    expect(status.state).toBe('SAGA_TERMINEE');
    expect(await participants.stockOf('RES-1')).toMatchObject({ available: 6, reserved: 0 });
    expect(await participants.ordersOf(saga!.checkoutId)).toEqual([expect.objectContaining({ status: 'CONFIRMED', totalCents: 1_200 })]);
    expect(await participants.authorizationOf(saga!.checkoutId)).toMatchObject({ status: 'AUTHORIZED', amountCents: 1_200 });
    const transitions = status.transitions as Transition[];
    expect(transitions.filter((t) => t.attempt === 1).map((t) => t.to)).toEqual(['VERIFICATION_STOCK', 'STOCK_VERIFIE', 'RESERVATION_STOCK']);
    expect(transitions[3]).toMatchObject({ from: 'RESERVATION_STOCK', to: 'STOCK_RESERVE', attempt: 2 });
    expect(transitions.at(-1)).toMatchObject({ to: 'SAGA_TERMINEE', attempt: 2 });
  });

  it('compensates a saga found past its deadline, releasing what it held', async () => {
    await participants.product('LATE-1', 5);
    const [saga] = await abandon(
      [{ clientId: 'u2', items: [{ sku: 'LATE-1', quantity: 2 }], payment: { token: 'tok_visa' } }],
      (created) => participants.reserve(created.checkoutId, [{ sku: 'LATE-1', quantity: 2 }]),
      { deadlineMs: 1 },
    );
    const survivor = await start();
    const status = await terminal(survivor, saga!.id);
    expect(status).toMatchObject({ state: 'SAGA_ANNULEE', code: 'SAGA.DEADLINE_EXCEEDED', failedStep: 'stock' });
    expect((status.transitions as Transition[]).slice(-2).map((t) => [t.from, t.to])).toEqual([
      ['RESERVATION_STOCK', 'COMPENSATION_EN_COURS'],
      ['COMPENSATION_EN_COURS', 'SAGA_ANNULEE'],
    ]);
    expect(await participants.stockOf('LATE-1')).toMatchObject({ available: 5, reserved: 0 });
    expect(await participants.ordersOf(saga!.checkoutId)).toEqual([]);
  });

  it('shares abandoned sagas among several instances without ever running one twice', async () => {
    await participants.product('MULTI-1', 1_000, 100);
    const sagas = await abandon(
      Array.from({ length: 30 }, (_, i) => ({
        clientId: `m${i}`,
        items: [{ sku: 'MULTI-1', quantity: 1 }],
        payment: { token: i % 5 === 0 ? 'tok_chargeDeclined' : 'tok_visa' },
      })),
    );
    // The abandoned leases lapse fast; the survivors' own are long enough that three instances booting side by side on two
    // cores (event loops stalled for hundreds of milliseconds) do not lose a saga to one another: one takeover each.
    const steady = { settings: { leaseMs: 5_000, heartbeatMs: 500 } };
    const [b] = await Promise.all([start(steady), start(steady), start(steady)]);
    const statuses = await Promise.all(sagas.map((s) => terminal(b, s.id)));

    for (const status of statuses) {
      const transitions = status.transitions as Transition[];
      // One takeover per saga: everything after the crash ran as attempt 2, numbered without gaps.
      expect(transitions.map((t) => t.seq)).toEqual(transitions.map((_, i) => i + 1));
      expect(transitions.map((t) => t.attempt)).toEqual(transitions.map((_, i) => (i < 3 ? 1 : 2)));
      expect(status.state).toBe(Number(status.clientId.slice(1)) % 5 === 0 ? 'SAGA_ANNULEE' : 'SAGA_TERMINEE');
    }
    expect(await participants.stockOf('MULTI-1')).toMatchObject({ available: 1_000 - 24, reserved: 0 });
    const orders = await Promise.all(sagas.map((s) => participants.ordersOf(s.checkoutId)));
    expect(orders.every((o) => o.length === 1)).toBe(true);
  }, 30_000);
});
