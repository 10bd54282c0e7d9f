import { SAGA_WORKERS } from '@app/choreography';
import { type AnyEvent, STREAMS } from '@app/contracts';
import { BOOT_TIMEOUT_MS, type CheckoutOrder, type Choreography, ORDER_LIMIT_CENTS, type Participants, type SagaWorkerApp, eventually } from '@app/testing';
import { distinct, holdingsOf, matchesEnding, stockLedger, terminalsAmong } from './checkout.invariants.js';
import { type ChoreographyScene, startChoreography } from './choreography.fixture.js';

const CHECKOUTS = 80;
const IN_FLIGHT = 12;
const CATALOGUE = {
  'HOT-1': { stock: 100, priceCents: 1_000 },
  'HOT-2': { stock: 100, priceCents: 2_500 },
  'LUX-1': { stock: 10, priceCents: ORDER_LIMIT_CENTS },
  'RARE-1': { stock: 6, priceCents: 5_000 },
} as const;
type Sku = keyof typeof CATALOGUE;

/** Checkout `i` of the load: mostly ordinary, with every failure of the architecture page mixed in. */
function orderOf(i: number): CheckoutOrder {
  const line = (sku: Sku, quantity: number, paymentToken = 'tok_visa') => ({ clientId: `client-${i}`, items: [{ sku, quantity }], paymentToken });
  if (i % 10 === 0) return line('HOT-1', 1, 'tok_chargeDeclined');
  if (i % 10 === 1) return line('LUX-1', 2);
  // Eight checkouts of two units each for six units: some get them, the others are refused.
  if (i % 10 === 2) return line('RARE-1', 2);
  return line(i % 2 === 0 ? 'HOT-1' : 'HOT-2', 1 + (i % 3));
}

/**
 * A worker killed with SIGKILL in the middle of a load, then started again: its unacknowledged
 * entries are claimed by the new process, handled again idempotently, and every checkout still ends
 * exactly once with the invariants of the architecture page holding.
 */
describe('choreographed checkout: workers killed under load', () => {
  let participants: Participants;
  let choreography: Choreography;
  let scene: ChoreographyScene;

  beforeAll(async () => {
    // Participants slow and flaky at times, so kills find calls in flight and some calls fail transiently.
    scene = await startChoreography({
      label: 'choreo_crash',
      catalogue: CATALOGUE,
      participantsEnv: { FAULT_DELAY_RATE: '0.3', FAULT_DELAY_MS: '40', FAULT_ERROR_RATE: '0.05' },
    });
    ({ participants, choreography } = scene);
  }, BOOT_TIMEOUT_MS);

  afterAll(() => scene?.stop());

  /** Entries delivered to the group and not acknowledged yet: handlers in flight, or left by a dead consumer. */
  const pendingOf = (group: string) => choreography.pendingOf(group);

  /**
   * Kills the worker while it has entries unacknowledged (handlers in flight, or done and not yet
   * acknowledged); a kill that found it idle is retried after a restart. Resolves with what it left.
   */
  const killMidFlight = async ({ name, group }: { name: SagaWorkerApp; group: string }) => {
    for (let attempt = 1; ; attempt++) {
      await eventually(async () => expect(await pendingOf(group)).toBeGreaterThan(0), { timeoutMs: 20_000, intervalMs: 2 });
      await choreography.worker(name).kill();
      const left = await pendingOf(group);
      if (left > 0 || attempt === 5) return left;
      await choreography.worker(name).restart();
    }
  };

  /** Starts the checkouts one after the other, keeping IN_FLIGHT of them unfinished, so every worker always has work. */
  const steadyLoad = async (checkoutIds: string[]) => {
    for (let i = 0; i < CHECKOUTS; i++) {
      await eventually(async () => expect(i - (await choreography.stream.ended()).size).toBeLessThan(IN_FLIGHT), { timeoutMs: 60_000, intervalMs: 10 });
      checkoutIds.push((await choreography.initiate(orderOf(i))).payload.checkoutId);
    }
  };

  it('ends every checkout exactly once after order-creation and payment workers are SIGKILLed and restarted, with stock, orders and payments consistent', async () => {
    const checkoutIds: string[] = [];
    const load = steadyLoad(checkoutIds);
    // Awaited below; a failure before that must not be left unhandled.
    load.catch(() => undefined);

    const { orderCreation, payment } = SAGA_WORKERS;
    const leftByOrderCreation = await killMidFlight(orderCreation);
    await choreography.worker(orderCreation.name).restart();
    const leftByPayment = await killMidFlight(payment);
    await choreography.worker(payment.name).restart();
    // Both died with work unacknowledged: their restarted processes had entries to claim.
    expect(leftByOrderCreation).toBeGreaterThan(0);
    expect(leftByPayment).toBeGreaterThan(0);
    await load;
    expect(checkoutIds).toHaveLength(CHECKOUTS);

    const terminals = await choreography.stream.terminalsOf(checkoutIds, { timeoutMs: 40_000 });
    const eventsOf = new Map<string, AnyEvent[]>();
    for (const id of checkoutIds) eventsOf.set(id, await choreography.stream.eventsOf(id));

    // Exactly one ending per checkout, and no step answered twice with different events.
    expect(checkoutIds.filter((id) => terminalsAmong(eventsOf.get(id)!).length !== 1)).toEqual([]);
    const answeredTwice = checkoutIds.filter((id) => {
      const types = distinct(eventsOf.get(id)!).map((e) => e.type);
      return new Set(types).size !== types.length;
    });
    expect(answeredTwice).toEqual([]);

    // The load had every outcome.
    const endings = [...terminals.values()].map((t) => (t.type === 'CheckoutSucceeded' ? 'succeeded' : `failed at ${t.payload.failedStep}`));
    expect(new Set(endings)).toEqual(new Set(['succeeded', 'failed at stock', 'failed at order', 'failed at payment']));

    // What every participant holds matches how its checkout ended.
    const holdings = await Promise.all(checkoutIds.map((id) => holdingsOf(participants, id)));
    expect(holdings.filter((h) => !matchesEnding(terminals.get(h.checkoutId)!.type, h))).toEqual([]);

    // Stock conservation per SKU: initial = available + units held by reservations not released; nothing left merely reserved.
    expect(await stockLedger(participants)).toEqual(
      (Object.keys(CATALOGUE) as Sku[]).sort().map((sku) => ({ sku, available: expect.any(Number), reserved: 0, held: expect.any(Number) })),
    );
    for (const { sku, available, held } of await stockLedger(participants)) {
      expect({ sku, total: available + held }).toEqual({ sku, total: CATALOGUE[sku as Sku].stock });
      expect(available).toBeGreaterThanOrEqual(0);
    }

    // Nothing was given up on.
    expect((await choreography.admin.summary(STREAMS.checkout)).deadLetters).toBe(0);
  }, 120_000);
});
