import { jest } from '@jest/globals';
import request from 'supertest';
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
// Several tests stop a participant and start it again, then wait for its boot, which on a busy machine alone can take seconds.
jest.setTimeout(60_000);
type Transition = { from: string; to: string; detail: Record<string, unknown>; attempt: number };

describe('saga orchestrator: POST /api/saga/:id/compensate', () => {
  let participants: Participants;
  let sagaDb: TestDatabase;
  let orchestrator: TestApp;

  const api = () => request(orchestrator.url);
  const checkout = (body: object) => api().post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY).send(body);
  const compensate = (sagaId: string) => api().post(`/api/saga/${sagaId}/compensate`).set('X-API-Key', TEST_API_KEY);
  const listed = async (state: string) =>
    (await api().get('/api/saga/list').query({ state }).set('X-API-Key', TEST_API_KEY).expect(200)).body.items.map((s: { sagaId: string }) => s.sagaId);

  beforeAll(async () => {
    participants = await Participants.start({ label: 'saga_comp', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    sagaDb = await createTestDatabase('saga_comp_orchestrator');
    // Participants that are down fail fast: one retry, short backoffs, a circuit that never opens at this traffic.
    const config = testConfig({ SAGA_DATABASE_URL: sagaDb.url, ...participants.urls, PARTICIPANT_TIMEOUT_MS: 1_000, PARTICIPANT_RETRIES: 1 });
    orchestrator = await startTestApp(
      SagaOrchestratorModule.register(config, { settings: { compensationRetries: 2, compensationBackoff: { initialDelayMs: 10, maxDelayMs: 50 } } }),
      'saga-orchestrator',
    );
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await orchestrator?.close();
    await participants?.stop();
    await sagaDb?.drop();
  });

  it('undoes a finished saga: cancels its order, voids its payment, releases its stock', async () => {
    await participants.product('DONE-1', 6, 700);
    const done = (await checkout({ clientId: 'ann', items: [{ sku: 'DONE-1', quantity: 2 }], payment: visa }).expect(201)).body;
    expect(await participants.stockOf('DONE-1')).toMatchObject({ available: 4, reserved: 0 });

    const res = await compensate(done.sagaId).expect(200);
    expect(res.body).toMatchObject({ sagaId: done.sagaId, state: 'SAGA_ANNULEE', failedStep: 'confirmation', code: 'SAGA.COMPENSATION_FORCED', attempt: 2 });
    expect(await participants.ordersOf(done.checkoutId)).toEqual([expect.objectContaining({ orderId: done.orderId, status: 'CANCELLED' })]);
    expect(await participants.authorizationOf(done.checkoutId)).toMatchObject({ status: 'VOIDED', amountCents: 1_400 });
    expect(await participants.reservationOf(done.checkoutId)).toMatchObject({ status: 'RELEASED' });
    expect(await participants.stockOf('DONE-1')).toMatchObject({ available: 6, reserved: 0 });

    const tail = (res.body.transitions as Transition[]).slice(-2);
    expect(tail).toEqual([
      expect.objectContaining({
        from: 'SAGA_TERMINEE',
        to: 'COMPENSATION_EN_COURS',
        attempt: 2,
        detail: expect.objectContaining({ code: 'SAGA.COMPENSATION_FORCED' }),
      }),
      expect.objectContaining({
        from: 'COMPENSATION_EN_COURS',
        to: 'SAGA_ANNULEE',
        attempt: 2,
        detail: { compensated: ['voidPayment', 'cancelOrder', 'releaseStock'] },
      }),
    ]);

    // Compensating a cancelled saga changes nothing.
    const again = await compensate(done.sagaId).expect(200);
    expect(again.body.transitions).toHaveLength(res.body.transitions.length);
    expect(await participants.stockOf('DONE-1')).toMatchObject({ available: 6, reserved: 0 });
  });

  it('parks a saga whose compensation keeps failing (inventory down), lists it, and finishes it once inventory is back', async () => {
    await participants.product('PARK-1', 5);
    const done = (await checkout({ clientId: 'ben', items: [{ sku: 'PARK-1', quantity: 3 }], payment: visa }).expect(201)).body;

    await participants.inventory.stop();
    const parked = await compensate(done.sagaId).expect(200);
    expect(parked.body).toMatchObject({
      state: 'COMPENSATION_ECHOUEE',
      data: {
        compensation: {
          plan: ['voidPayment', 'cancelOrder', 'releaseStock'],
          error: { compensation: 'releaseStock', code: 'INVENTORY.UNAVAILABLE', tries: 3 },
        },
      },
    });
    expect(await listed('COMPENSATION_ECHOUEE')).toContain(done.sagaId);
    // What could be undone was, in reverse order, before the stock release failed.
    expect(await participants.authorizationOf(done.checkoutId)).toMatchObject({ status: 'VOIDED' });
    expect(await participants.ordersOf(done.checkoutId)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);

    await participants.inventory.restart();
    const finished = await compensate(done.sagaId).expect(200);
    expect(finished.body.state).toBe('SAGA_ANNULEE');
    expect(await participants.stockOf('PARK-1')).toMatchObject({ available: 5, reserved: 0 });
    expect(await listed('COMPENSATION_ECHOUEE')).not.toContain(done.sagaId);
    const path = (finished.body.transitions as Transition[]).slice(-4).map((t) => `${t.from}>${t.to}#${t.attempt}`);
    expect(path).toEqual([
      'SAGA_TERMINEE>COMPENSATION_EN_COURS#2',
      'COMPENSATION_EN_COURS>COMPENSATION_ECHOUEE#2',
      'COMPENSATION_ECHOUEE>COMPENSATION_EN_COURS#3',
      'COMPENSATION_EN_COURS>SAGA_ANNULEE#3',
    ]);
  });

  it('tries a parked compensation again on its own once SAGA_PARKED_RETRY_MS has passed, settling it when inventory is back', async () => {
    const sagaDbAuto = await createTestDatabase('saga_comp_parked_retry');
    const config = testConfig({
      SAGA_DATABASE_URL: sagaDbAuto.url,
      ...participants.urls,
      PARTICIPANT_TIMEOUT_MS: 1_000,
      PARTICIPANT_RETRIES: 1,
      SAGA_PARKED_RETRY_MS: 500,
    });
    const auto = await startTestApp(
      SagaOrchestratorModule.register(config, { settings: { compensationRetries: 2, compensationBackoff: { initialDelayMs: 10, maxDelayMs: 50 } } }),
      'saga-orchestrator',
    );
    const status = async (sagaId: string) => (await request(auto.url).get(`/api/saga/${sagaId}/status`).set('X-API-Key', TEST_API_KEY).expect(200)).body;
    try {
      await participants.product('PARK-3', 5);
      const done = (
        await request(auto.url)
          .post('/api/saga/checkout')
          .set('X-API-Key', TEST_API_KEY)
          .send({ clientId: 'cy', items: [{ sku: 'PARK-3', quantity: 2 }], payment: visa })
          .expect(201)
      ).body;
      await participants.inventory.stop();
      const parked = await request(auto.url).post(`/api/saga/${done.sagaId}/compensate`).set('X-API-Key', TEST_API_KEY).expect(200);
      expect(parked.body.state).toBe('COMPENSATION_ECHOUEE');

      await participants.inventory.restart();
      // Nobody asks: the orchestrator tries again by itself.
      await eventually(async () => expect((await status(done.sagaId)).state).toBe('SAGA_ANNULEE'), { timeoutMs: 15_000 });
      expect(await participants.stockOf('PARK-3')).toMatchObject({ available: 5, reserved: 0 });
    } finally {
      if (!participants.inventory.running) await participants.inventory.restart();
      await auto.close();
      await sagaDbAuto.drop();
    }
  });

  it('a checkout whose payment service is down is compensated, parks when the void fails too, and is finished later', async () => {
    await participants.product('PAY-DOWN', 4);
    await participants.payments.stop();
    const res = await checkout({ clientId: 'cid', items: [{ sku: 'PAY-DOWN', quantity: 1 }], payment: visa }).expect(409);
    expect(res.body).toMatchObject({ state: 'COMPENSATION_ECHOUEE', failedStep: 'payment', code: 'PAYMENTS.UNAVAILABLE' });
    const { sagaId, checkoutId } = res.body as { sagaId: string; checkoutId: string };
    // Reverse order: nothing after the failed void ran, so the order and the stock are still held.
    expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    expect(await participants.stockOf('PAY-DOWN')).toMatchObject({ available: 3, reserved: 1 });

    await participants.payments.restart();
    expect((await compensate(sagaId).expect(200)).body.state).toBe('SAGA_ANNULEE');
    expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
    expect(await participants.stockOf('PAY-DOWN')).toMatchObject({ available: 4, reserved: 0 });
    // The void came first and left a tombstone: no authorization can appear for this checkout any more.
    expect(await participants.authorizationOf(checkoutId)).toMatchObject({ status: 'VOIDED', amountCents: 0 });
    const unavailable = ((await api().get(`/api/saga/${sagaId}/status`).set('X-API-Key', TEST_API_KEY).expect(200)).body.transitions as Transition[]).find(
      (t) => t.to === 'ECHEC_PAIEMENT',
    );
    expect(unavailable?.detail).toMatchObject({ code: 'PAYMENTS.UNAVAILABLE', transient: true });
  });

  it('answers 404 for an unknown saga', async () => {
    const res = await compensate('00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body.code).toBe('SAGA.NOT_FOUND');
  });
});
