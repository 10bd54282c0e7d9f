import { randomUUID } from 'node:crypto';
import { cancelOrder, releaseStock } from '@app/checkout-steps';
import { type AnyEvent, ErrorCode } from '@app/contracts';
import { SAGA_WORKERS } from '@app/choreography';
import { BOOT_TIMEOUT_MS, type Choreography, ORDER_LIMIT_CENTS, type Participants, eventually, seriesValue } from '@app/testing';
import { type Holdings, holdingsOf, matchesEnding, stockLedger, succeeded } from './checkout.invariants.js';
import { type ChoreographyScene, TEST_TIMEOUT_MS, startChoreography } from './choreography.fixture.js';

const CATALOGUE = {
  BOOK: { stock: 20, priceCents: 1_500 },
  RARE: { stock: 1, priceCents: 9_000 },
  LUX: { stock: 5, priceCents: ORDER_LIMIT_CENTS },
  MUG: { stock: 20, priceCents: 800 },
  PEN: { stock: 10, priceCents: 300 },
  INK: { stock: 5, priceCents: 700 },
} as const;
type Sku = keyof typeof CATALOGUE;

/** Each event with the worker that published it and the type of the event it reacted to. */
const trailOf = (events: AnyEvent[]) =>
  events.map((e) => ({ type: e.type, producer: e.producer, cause: events.find((c) => c.eventId === e.causationId)?.type ?? null }));

/**
 * The six saga workers in their own processes over real participants: each outcome of the
 * architecture page ends with the right terminal event, the compensations it needs on the stream,
 * and the participants holding exactly what that ending allows.
 */
describe('choreographed checkout: outcomes', () => {
  let participants: Participants;
  let choreography: Choreography;
  let clients: ChoreographyScene['clients'];
  let scene: ChoreographyScene;

  beforeAll(async () => {
    // Enough deliveries for an event to outlast a participant's restart.
    scene = await startChoreography({ label: 'choreo_outcomes', catalogue: CATALOGUE, workersEnv: { STREAM_MAX_ATTEMPTS: '30' } });
    ({ participants, choreography, clients } = scene);
  }, BOOT_TIMEOUT_MS);

  afterAll(() => scene?.stop());

  const expectStockBack = async (sku: Sku) => {
    const level = (await stockLedger(participants)).find((l) => l.sku === sku);
    expect(level).toEqual({ sku, available: CATALOGUE[sku].stock, reserved: 0, held: 0 });
  };

  it(
    'ends a checkout with CheckoutSucceeded: one confirmed order, its total authorized, the reservation confirmed, the stock taken once',
    async () => {
      const { payload } = await choreography.initiate({ clientId: 'alice', items: [{ sku: 'BOOK', quantity: 3 }], paymentToken: 'tok_visa' });
      const terminal = await choreography.stream.terminalOf(payload.checkoutId);

      const [order] = await participants.ordersOf(payload.checkoutId);
      expect(terminal).toMatchObject({
        type: 'CheckoutSucceeded',
        payload: { checkoutId: payload.checkoutId, clientId: 'alice', orderId: order?.orderId, totalCents: 4_500 },
      });
      expect(trailOf(await choreography.stream.eventsOf(payload.checkoutId))).toEqual([
        { type: 'CheckoutInitiated', producer: 'checkout', cause: null },
        { type: 'StockReserved', producer: 'stock-reservation-worker', cause: 'CheckoutInitiated' },
        { type: 'OrderCreated', producer: 'order-creation-worker', cause: 'StockReserved' },
        { type: 'PaymentAuthorized', producer: 'payment-worker', cause: 'OrderCreated' },
        { type: 'OrderConfirmed', producer: 'order-confirmation-worker', cause: 'PaymentAuthorized' },
        { type: 'CheckoutSucceeded', producer: 'order-confirmation-worker', cause: 'PaymentAuthorized' },
      ]);
      expect(await holdingsOf(participants, payload.checkoutId)).toEqual(succeeded(payload.checkoutId, 4_500));
      expect(await participants.stockOf('BOOK')).toMatchObject({ available: CATALOGUE.BOOK.stock - 3, reserved: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaves an event pending while its participant is down, delivers it again, and ends the checkout once the participant is back',
    async () => {
      const checkoutId = randomUUID();
      await participants.payments.stop();
      try {
        await choreography.initiate({ clientId: 'dan', items: [{ sku: 'INK', quantity: 1 }], paymentToken: 'tok_visa' }, checkoutId);
        // The OrderCreated failed, stayed pending in the payment group, and was delivered again (twice at least).
        const metricsUrl = `${choreography.worker('payment-worker').url}/metrics`;
        await eventually(
          async () => {
            expect(await choreography.pendingOf(SAGA_WORKERS.payment.group)).toBe(1);
            const redeliveries = seriesValue(await (await fetch(metricsUrl)).text(), 'stream_redeliveries_total', { consumer: SAGA_WORKERS.payment.group });
            expect(redeliveries).toBeGreaterThanOrEqual(2);
          },
          { timeoutMs: 20_000 },
        );
      } finally {
        await participants.payments.restart();
      }

      expect(await choreography.stream.terminalOf(checkoutId)).toMatchObject({ type: 'CheckoutSucceeded' });
      expect((await choreography.stream.eventsOf(checkoutId)).map((e) => e.type)).not.toContain('PaymentFailed');
      expect(matchesEnding('CheckoutSucceeded', await holdingsOf(participants, checkoutId))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  const FAILURES: {
    what: string;
    sku: Sku | 'NOPE';
    quantity: number;
    token: string;
    failedStep: string;
    code: string;
    trail: string[];
    holdings: Omit<Holdings, 'checkoutId'>;
  }[] = [
    {
      what: 'insufficient stock',
      sku: 'RARE',
      quantity: 2,
      token: 'tok_visa',
      failedStep: 'stock',
      code: ErrorCode.InsufficientStock,
      trail: ['CheckoutInitiated', 'StockReservationFailed', 'CheckoutFailed'],
      holdings: { orders: [] },
    },
    {
      what: 'an unknown SKU',
      sku: 'NOPE',
      quantity: 1,
      token: 'tok_visa',
      failedStep: 'stock',
      code: ErrorCode.UnknownSku,
      trail: ['CheckoutInitiated', 'StockReservationFailed', 'CheckoutFailed'],
      holdings: { orders: [] },
    },
    {
      what: 'an order over the limit',
      sku: 'LUX',
      quantity: 2,
      token: 'tok_visa',
      failedStep: 'order',
      code: ErrorCode.OrderOverLimit,
      trail: ['CheckoutInitiated', 'StockReserved', 'OrderCreationFailed', 'StockReleased', 'CheckoutFailed'],
      holdings: { orders: [], reservation: 'RELEASED' },
    },
    {
      what: 'a declined card',
      sku: 'MUG',
      quantity: 2,
      token: 'tok_chargeDeclined',
      failedStep: 'payment',
      code: ErrorCode.CardDeclined,
      trail: ['CheckoutInitiated', 'StockReserved', 'OrderCreated', 'PaymentFailed', 'OrderCancelled', 'StockReleased', 'CheckoutFailed'],
      holdings: { orders: [{ status: 'CANCELLED', totalCents: 1_600 }], authorization: { status: 'DECLINED', amountCents: 1_600 }, reservation: 'RELEASED' },
    },
    {
      what: 'insufficient funds',
      sku: 'MUG',
      quantity: 1,
      token: 'tok_insufficientFunds',
      failedStep: 'payment',
      code: ErrorCode.InsufficientFunds,
      trail: ['CheckoutInitiated', 'StockReserved', 'OrderCreated', 'PaymentFailed', 'OrderCancelled', 'StockReleased', 'CheckoutFailed'],
      holdings: { orders: [{ status: 'CANCELLED', totalCents: 800 }], authorization: { status: 'DECLINED', amountCents: 800 }, reservation: 'RELEASED' },
    },
  ];

  it.each(FAILURES)(
    'ends a checkout refused for $what with CheckoutFailed at step $failedStep, compensated',
    async (failure) => {
      const { sku, quantity, token, failedStep, code } = failure;
      const { payload } = await choreography.initiate({ clientId: 'bob', items: [{ sku, quantity }], paymentToken: token });

      expect(await choreography.stream.terminalOf(payload.checkoutId)).toMatchObject({ type: 'CheckoutFailed', payload: { failedStep, code } });
      expect((await choreography.stream.eventsOf(payload.checkoutId)).map((e) => e.type)).toEqual(failure.trail);
      expect(await holdingsOf(participants, payload.checkoutId)).toEqual({ checkoutId: payload.checkoutId, ...failure.holdings });
      if (sku !== 'NOPE') await expectStockBack(sku);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    { what: 'released the stock', undo: ['cancelOrder', 'releaseStock'], code: ErrorCode.ReservationReleased },
    { what: 'cancelled the order', undo: ['cancelOrder'], code: ErrorCode.OrderCancelled },
  ])(
    'voids the payment and releases the stock when a deadline compensation $what before the confirmation',
    async ({ undo, code }) => {
      // The checkout app's deadline compensation got there between the authorization and its confirmation.
      const checkoutId = randomUUID();
      const items = [{ sku: 'PEN', quantity: 2 }];
      await participants.reserve(checkoutId, items);
      const order = await clients.orders.create({ checkoutId, clientId: 'carol', items: [{ ...items[0]!, unitPriceCents: CATALOGUE.PEN.priceCents }] });
      await clients.payments.authorize({ checkoutId, amountCents: order.totalCents, token: 'tok_visa' });
      if (undo.includes('cancelOrder')) await cancelOrder(clients.orders, checkoutId);
      if (undo.includes('releaseStock')) await releaseStock(clients.inventory, checkoutId);

      const authorized = await choreography.publisher.publish(
        'PaymentAuthorized',
        { checkoutId, clientId: 'carol', orderId: order.orderId, amountCents: order.totalCents },
        { correlationId: checkoutId, producer: 'payment-worker' },
      );

      expect(await choreography.stream.terminalOf(checkoutId)).toMatchObject({ type: 'CheckoutFailed', payload: { failedStep: 'confirmation', code } });
      const events = await choreography.stream.eventsOf(checkoutId);
      expect(trailOf(events)).toEqual([
        { type: 'PaymentAuthorized', producer: 'payment-worker', cause: null },
        { type: 'OrderCancelled', producer: 'order-confirmation-worker', cause: 'PaymentAuthorized' },
        { type: 'StockReleased', producer: 'stock-compensation-worker', cause: 'OrderCancelled' },
        { type: 'CheckoutFailed', producer: 'stock-compensation-worker', cause: 'OrderCancelled' },
      ]);
      expect(events[1]).toMatchObject({ causationId: authorized.eventId, payload: { orderId: order.orderId, failedStep: 'confirmation', code } });
      expect(await holdingsOf(participants, checkoutId)).toEqual({
        checkoutId,
        orders: [{ status: 'CANCELLED', totalCents: order.totalCents }],
        authorization: { status: 'VOIDED', amountCents: order.totalCents },
        reservation: 'RELEASED',
      });
      await expectStockBack('PEN');
    },
    TEST_TIMEOUT_MS,
  );
});
