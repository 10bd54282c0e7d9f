import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SAGA_WORKERS } from '@app/choreography';
import type { AnyEvent } from '@app/contracts';
import {
  BOOT_TIMEOUT_MS,
  type CheckoutOrder,
  type Choreography,
  type Participants,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  busEnv,
  createTestDatabase,
  seriesValue,
  testConfig,
} from '@app/testing';
import { distinct, holdingsOf, matchesEnding, stockLedger, terminalsAmong } from './checkout.invariants.js';
import { type ChoreographyScene, startChoreography } from './choreography.fixture.js';

const CHECKOUTS = 24;
const CATALOGUE = {
  'DUO-1': { stock: 100, priceCents: 1_000 },
  'DUO-2': { stock: 100, priceCents: 2_500 },
} as const;

/** Checkout `i`: mostly ordinary, one in four declined, so compensations run on the doubled workers too. */
function orderOf(i: number): CheckoutOrder {
  const sku = i % 2 === 0 ? 'DUO-1' : 'DUO-2';
  return { clientId: `client-${i}`, items: [{ sku, quantity: 1 }], paymentToken: i % 4 === 3 ? 'tok_chargeDeclined' : 'tok_visa' };
}

/**
 * Two processes of every saga worker and two orchestrators over one saga database, on the bus of
 * the run (`TEST_BUS`): instances of one worker share its group, orchestrators share the sagas table
 * and the outbox, and no effect happens twice.
 */
describe('several instances of every worker and of the orchestrator', () => {
  let scene: ChoreographyScene;
  let participants: Participants;
  let choreography: Choreography;
  let sagaDb: TestDatabase;
  const orchestrators: ServiceProcess[] = [];

  beforeAll(async () => {
    scene = await startChoreography({ label: 'several_instances', catalogue: CATALOGUE, instances: 2 });
    ({ participants, choreography } = scene);
    sagaDb = await createTestDatabase('several_instances_saga');
    const config = testConfig();
    const env = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      SAGA_DATABASE_URL: sagaDb.url,
      ...busEnv(config),
      ...participants.urls,
    };
    // One after the other: the first runs the migrations, the second finds them done.
    for (let i = 0; i < 2; i++) orchestrators.push(await ServiceProcess.start('saga-orchestrator', env));
    // Seventeen processes boot, three at a time: twice the usual boot allowance.
  }, 2 * BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(orchestrators.map((orchestrator) => orchestrator.stop()));
    await scene?.stop();
    await sagaDb?.drop();
  }, BOOT_TIMEOUT_MS);

  it('ends every checkout of both styles once, with consistent holdings, while the instances share the work', async () => {
    const choreographed: string[] = [];
    const orchestrated = await Promise.all(
      Array.from({ length: CHECKOUTS }, async (_, i) => {
        const { clientId, items, paymentToken } = orderOf(i);
        const checkoutId = (await choreography.initiate(orderOf(i))).payload.checkoutId;
        choreographed.push(checkoutId);
        const res = await request(orchestrators[i % 2]!.url)
          .post('/api/saga/checkout')
          .set('X-API-Key', TEST_API_KEY)
          .set('Idempotency-Key', randomUUID())
          .send({ clientId, items, payment: { token: paymentToken } });
        expect([201, 409]).toContain(res.status);
        return res.body as { checkoutId: string; state: string };
      }),
    );

    // Choreographed: one ending each, no step answered twice with different events, holdings matching.
    const terminals = await choreography.stream.terminalsOf(choreographed, { timeoutMs: 60_000 });
    const eventsOf = new Map<string, AnyEvent[]>();
    for (const id of choreographed) eventsOf.set(id, await choreography.stream.eventsOf(id));
    expect(choreographed.filter((id) => terminalsAmong(eventsOf.get(id)!).length !== 1)).toEqual([]);
    expect(
      choreographed.filter((id) => {
        const types = distinct(eventsOf.get(id)!).map((e) => e.type);
        return new Set(types).size !== types.length;
      }),
    ).toEqual([]);
    const choreoHoldings = await Promise.all(choreographed.map((id) => holdingsOf(participants, id)));
    expect(choreoHoldings.filter((h) => !matchesEnding(terminals.get(h.checkoutId)!.type, h))).toEqual([]);

    // Orchestrated: every saga terminal, holdings matching its state.
    expect(orchestrated.filter((saga) => saga.state !== 'SAGA_TERMINEE' && saga.state !== 'SAGA_ANNULEE')).toEqual([]);
    const sagaHoldings = await Promise.all(orchestrated.map(async (saga) => ({ saga, holdings: await holdingsOf(participants, saga.checkoutId) })));
    expect(
      sagaHoldings.filter(({ saga, holdings }) => !matchesEnding(saga.state === 'SAGA_TERMINEE' ? 'CheckoutSucceeded' : 'CheckoutFailed', holdings)),
    ).toEqual([]);

    // Stock conservation: nothing reserved twice, nothing left merely reserved.
    for (const { sku, available, reserved, held } of await stockLedger(participants)) {
      expect({ sku, total: available + held, reserved }).toEqual({ sku, total: CATALOGUE[sku as keyof typeof CATALOGUE].stock, reserved: 0 });
    }

    // Both instances of the first worker of the chain took part.
    const consumedBy = async (instance: number) => {
      const text = await (await fetch(`${choreography.worker(SAGA_WORKERS.stockReservation.name, instance).url}/metrics`)).text();
      return seriesValue(text, 'events_consumed_total', { consumer: SAGA_WORKERS.stockReservation.group }) ?? 0;
    };
    const [first, second] = [await consumedBy(1), await consumedBy(2)];
    expect({ first: first > 0, second: second > 0, total: first + second >= CHECKOUTS }).toEqual({ first: true, second: true, total: true });
  }, 180_000);
});
