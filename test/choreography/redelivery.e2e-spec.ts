import { randomUUID } from 'node:crypto';
import { releaseStock } from '@app/checkout-steps';
import { type AnyEvent, type EventType, ErrorCode, deterministicEventId } from '@app/contracts';
import { BOOT_TIMEOUT_MS, type Choreography, type Participants, eventually } from '@app/testing';
import { distinct, holdingsOf, matchesEnding, succeeded } from './checkout.invariants.js';
import { type ChoreographyScene, TEST_TIMEOUT_MS, startChoreography } from './choreography.fixture.js';

const CATALOGUE = {
  BOOK: { stock: 20, priceCents: 1_500 },
  MUG: { stock: 20, priceCents: 800 },
  PEN: { stock: 20, priceCents: 300 },
  CUP: { stock: 20, priceCents: 450 },
  SOLO: { stock: 2, priceCents: 2_000 },
} as const;

const countOf = (events: AnyEvent[], type: EventType) => events.filter((e) => e.type === type).length;
const idsOf = (events: AnyEvent[]) => new Set(events.map((e) => e.eventId));

/**
 * Every handler is idempotent: an event delivered again (the same envelope in a second entry, as a
 * producer retrying its publish would leave it) republishes the same event ids and repeats no
 * effect, and a handler that crashed between its participant call and its publish publishes, on
 * redelivery, the outcome of that first call.
 */
describe('choreographed checkout: redelivery and crashes between effect and publish', () => {
  let participants: Participants;
  let choreography: Choreography;
  let clients: ChoreographyScene['clients'];
  let scene: ChoreographyScene;

  beforeAll(async () => {
    scene = await startChoreography({ label: 'choreo_redelivery', catalogue: CATALOGUE });
    ({ participants, choreography, clients } = scene);
  }, BOOT_TIMEOUT_MS);

  afterAll(() => scene?.stop());

  /**
   * Delivers `type` of the checkout again and waits until the chain it starts has reached the end
   * once more: on Redis the republished events are new entries; on JetStream they are dropped as
   * duplicates of their eventIds, so the wait is for every group to have handled everything.
   */
  const redeliverAndSettle = async (checkoutId: string, type: EventType, last: EventType) => {
    const before = await choreography.stream.eventsOf(checkoutId);
    const event = before.find((e) => e.type === type);
    if (event === undefined) throw new Error(`No ${type} for ${checkoutId}`);
    await choreography.redeliver(event);
    if (choreography.deduplicatesPublishes) {
      await choreography.settled();
      return { before, after: await choreography.stream.eventsOf(checkoutId) };
    }
    return eventually(async () => {
      const after = await choreography.stream.eventsOf(checkoutId);
      expect(countOf(after, last)).toBe(countOf(before, last) + 1);
      return { before, after };
    });
  };

  it(
    'answers a CheckoutInitiated delivered twice by republishing every event of the checkout with the same ids, and nothing else',
    async () => {
      const { payload } = await choreography.initiate({ clientId: 'alice', items: [{ sku: 'BOOK', quantity: 2 }], paymentToken: 'tok_visa' });
      await choreography.stream.terminalOf(payload.checkoutId);

      const { before, after } = await redeliverAndSettle(payload.checkoutId, 'CheckoutInitiated', 'CheckoutSucceeded');

      expect(after).toHaveLength(choreography.deduplicatesPublishes ? before.length + 1 : before.length * 2);
      expect(idsOf(after)).toEqual(idsOf(before));
      expect(distinct(after).map((e) => e.type)).toEqual(before.map((e) => e.type));
      expect(await holdingsOf(participants, payload.checkoutId)).toEqual(succeeded(payload.checkoutId, 3_000));
      expect(await participants.stockOf('BOOK')).toMatchObject({ available: CATALOGUE.BOOK.stock - 2, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers an OrderCreated delivered twice mid-saga with the same payment and confirmation events',
    async () => {
      const { payload } = await choreography.initiate({ clientId: 'bob', items: [{ sku: 'MUG', quantity: 1 }], paymentToken: 'tok_visa' });
      await choreography.stream.terminalOf(payload.checkoutId);

      const { before, after } = await redeliverAndSettle(payload.checkoutId, 'OrderCreated', 'CheckoutSucceeded');

      const republished = ['PaymentAuthorized', 'OrderConfirmed', 'CheckoutSucceeded'];
      expect(after.slice(before.length).map((e) => e.type)).toEqual(['OrderCreated', ...(choreography.deduplicatesPublishes ? [] : republished)]);
      expect(idsOf(after)).toEqual(idsOf(before));
      expect(matchesEnding('CheckoutSucceeded', await holdingsOf(participants, payload.checkoutId))).toBe(true);
      expect(await participants.stockOf('MUG')).toMatchObject({ available: CATALOGUE.MUG.stock - 1, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers a PaymentFailed delivered twice with the same compensation events, compensating once',
    async () => {
      const { payload } = await choreography.initiate({ clientId: 'carol', items: [{ sku: 'PEN', quantity: 3 }], paymentToken: 'tok_chargeDeclined' });
      await choreography.stream.terminalOf(payload.checkoutId);

      const { before, after } = await redeliverAndSettle(payload.checkoutId, 'PaymentFailed', 'CheckoutFailed');

      const republished = ['OrderCancelled', 'StockReleased', 'CheckoutFailed'];
      expect(after.slice(before.length).map((e) => e.type)).toEqual(['PaymentFailed', ...(choreography.deduplicatesPublishes ? [] : republished)]);
      expect(idsOf(after)).toEqual(idsOf(before));
      expect(matchesEnding('CheckoutFailed', await holdingsOf(participants, payload.checkoutId))).toBe(true);
      expect(await participants.stockOf('PEN')).toMatchObject({ available: CATALOGUE.PEN.stock, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'publishes the outcome of the first calls when the stock, the order and the payment were done before a crash',
    async () => {
      // What a crash right after each participant call leaves behind: effects, and no event.
      const checkoutId = randomUUID();
      const items = [{ sku: 'CUP' as const, quantity: 2 }];
      await participants.reserve(checkoutId, items);
      const order = await clients.orders.create({
        checkoutId,
        clientId: 'dave',
        items: items.map((i) => ({ ...i, unitPriceCents: CATALOGUE.CUP.priceCents })),
      });
      await clients.payments.authorize({ checkoutId, amountCents: order.totalCents, token: 'tok_visa' });

      // Delivered again with a card that would now be declined: the first authorization stands.
      await choreography.initiate({ clientId: 'dave', items, paymentToken: 'tok_chargeDeclined' }, checkoutId);

      expect(await choreography.stream.terminalOf(checkoutId)).toMatchObject({ type: 'CheckoutSucceeded', payload: { orderId: order.orderId } });
      expect(await holdingsOf(participants, checkoutId)).toEqual(succeeded(checkoutId, 900));
      expect(await participants.stockOf('CUP')).toMatchObject({ available: CATALOGUE.CUP.stock - 2, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'publishes StockReserved again when the reservation made before the crash holds the last units',
    async () => {
      // An availability check would now see no stock left: only the reservation may decide.
      const checkoutId = randomUUID();
      await participants.reserve(checkoutId, [{ sku: 'SOLO', quantity: 2 }]);

      await choreography.initiate({ clientId: 'gina', items: [{ sku: 'SOLO', quantity: 2 }], paymentToken: 'tok_visa' }, checkoutId);

      expect(await choreography.stream.terminalOf(checkoutId)).toMatchObject({ type: 'CheckoutSucceeded', payload: { totalCents: 4_000 } });
      expect(await holdingsOf(participants, checkoutId)).toEqual(succeeded(checkoutId, 4_000));
      expect(await participants.stockOf('SOLO')).toMatchObject({ available: 0, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'publishes the first refusal again when the payment was declined before a crash, whatever the card now',
    async () => {
      const checkoutId = randomUUID();
      await clients.payments.authorize({ checkoutId, amountCents: 450, token: 'tok_chargeDeclined' }).catch(() => undefined);

      await choreography.initiate({ clientId: 'erin', items: [{ sku: 'CUP', quantity: 1 }], paymentToken: 'tok_visa' }, checkoutId);

      expect(await choreography.stream.terminalOf(checkoutId)).toMatchObject({
        type: 'CheckoutFailed',
        payload: { failedStep: 'payment', code: ErrorCode.CardDeclined },
      });
      expect(await holdingsOf(participants, checkoutId)).toMatchObject({ authorization: { status: 'DECLINED' }, reservation: 'RELEASED' });
      expect(matchesEnding('CheckoutFailed', await holdingsOf(participants, checkoutId))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "deduplicates with the deadline compensation of the checkout app: the StockReleased and CheckoutFailed it published carry the worker's ids",
    async () => {
      const checkoutId = randomUUID();
      const ref = { checkoutId, clientId: 'frank' };
      await participants.reserve(checkoutId, [{ sku: 'CUP', quantity: 1 }]);
      await releaseStock(clients.inventory, checkoutId);
      // What the deadline compensation publishes, with the ids its brief derives from its OrderCancelled.
      const cancelled = await choreography.publisher.publish(
        'OrderCancelled',
        { ...ref, orderId: 'order-of-frank', failedStep: 'payment', code: ErrorCode.CheckoutDeadlineExceeded, reason: 'Deadline passed' },
        { correlationId: checkoutId },
      );
      const failure = { failedStep: 'payment' as const, code: ErrorCode.CheckoutDeadlineExceeded, reason: 'Deadline passed' };
      await choreography.publisher.publishMany([
        ...(['StockReleased', 'CheckoutFailed'] as const).map((type) => ({
          ...cancelled,
          type,
          eventId: deterministicEventId(cancelled.eventId, type),
          causationId: cancelled.eventId,
          payload: { ...ref, ...failure },
        })),
      ] as AnyEvent[]);

      // On JetStream the worker's events, with the same ids, are dropped as duplicates of the checkout app's.
      const fromWorker = choreography.deduplicatesPublishes ? [] : ['StockReleased', 'CheckoutFailed'];
      if (choreography.deduplicatesPublishes) await choreography.settled();
      const events = await eventually(async () => {
        const all = await choreography.stream.eventsOf(checkoutId);
        expect(all.filter((e) => e.producer === 'stock-compensation-worker').map((e) => e.type)).toEqual(fromWorker);
        return all;
      });
      expect(events).toHaveLength(3 + fromWorker.length);
      expect(distinct(events).map((e) => `${e.type} by ${e.producer}`)).toEqual([
        'OrderCancelled by checkout',
        'StockReleased by checkout',
        'CheckoutFailed by checkout',
      ]);
      expect(await participants.stockOf('CUP')).toMatchObject({ available: CATALOGUE.CUP.stock - 2, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );
});
