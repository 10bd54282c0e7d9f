import { type AnyEvent, type EventMap, type EventType, ErrorCode, createEnvelope, deterministicEventId } from '@app/contracts';
import {
  SAGA_WORKERS,
  orderCompensationReaction,
  orderConfirmationReaction,
  orderCreationReaction,
  paymentReaction,
  stockCompensationReaction,
  stockReservationReaction,
} from './choreography.reactions.js';

const ref = { checkoutId: 'chk-1', clientId: 'client-1' };
const priced = [{ sku: 'A', quantity: 2, unitPriceCents: 500 }];
const order = { orderId: 'ord-1', ...ref, status: 'PENDING' as const, items: priced, totalCents: 1000 };
const shortages = [{ sku: 'A', requested: 2, available: 1 }];

/** An incoming event as another worker (or the checkout app) published it. */
const incoming = <T extends EventType>(type: T, payload: EventMap[T]) => createEnvelope(type, payload, { correlationId: ref.checkoutId, producer: 'upstream' });

const initiated = incoming('CheckoutInitiated', { ...ref, items: [{ sku: 'A', quantity: 2 }], paymentToken: 'tok_visa' });
const stockReserved = incoming('StockReserved', { ...ref, items: priced, totalCents: 1000, paymentToken: 'tok_visa' });
const orderCreated = incoming('OrderCreated', { ...ref, orderId: 'ord-1', totalCents: 1000, paymentToken: 'tok_visa' });
const paymentAuthorized = incoming('PaymentAuthorized', { ...ref, orderId: 'ord-1', amountCents: 1000 });
const paymentFailed = incoming('PaymentFailed', { ...ref, orderId: 'ord-1', code: ErrorCode.CardDeclined, reason: 'Card declined' });
const creationFailed = incoming('OrderCreationFailed', { ...ref, code: ErrorCode.OrderOverLimit, reason: 'Over the limit' });
const cancelledAtDeadline = incoming('OrderCancelled', {
  ...ref,
  orderId: 'ord-1',
  failedStep: 'payment',
  code: ErrorCode.CheckoutDeadlineExceeded,
  reason: 'Deadline passed',
});
const cancelledWithoutCause = incoming('OrderCancelled', { ...ref, orderId: 'ord-1', reason: 'Cancelled' });

const refused = (step: 'stock' | 'order' | 'payment' | 'confirmation', code: string, reason: string, details?: Record<string, unknown>) =>
  ({ ok: false, step, code, reason, ...(details !== undefined && { details }) }) as const;

interface Row {
  worker: keyof typeof SAGA_WORKERS;
  on: AnyEvent;
  outcome: string;
  react: () => AnyEvent[];
  publishes: { type: EventType; payload: object }[];
}

/** The choreography table, row by row: what each worker publishes for each outcome. */
const TABLE: Row[] = [
  {
    worker: 'stockReservation',
    on: initiated,
    outcome: 'priced and reserved',
    react: () => stockReservationReaction(initiated, { ok: true, items: priced, totalCents: 1000 }),
    publishes: [{ type: 'StockReserved', payload: { ...ref, items: priced, totalCents: 1000, paymentToken: 'tok_visa' } }],
  },
  {
    worker: 'stockReservation',
    on: initiated,
    outcome: 'refused for lack of stock',
    react: () => stockReservationReaction(initiated, refused('stock', ErrorCode.InsufficientStock, 'Short', { shortages })),
    publishes: [
      { type: 'StockReservationFailed', payload: { ...ref, code: ErrorCode.InsufficientStock, reason: 'Short', shortages } },
      { type: 'CheckoutFailed', payload: { ...ref, failedStep: 'stock', code: ErrorCode.InsufficientStock, reason: 'Short' } },
    ],
  },
  {
    worker: 'stockReservation',
    on: initiated,
    outcome: 'refused for an unknown SKU',
    react: () => stockReservationReaction(initiated, refused('stock', ErrorCode.UnknownSku, 'Unknown SKU: A', { skus: ['A'] })),
    publishes: [
      { type: 'StockReservationFailed', payload: { ...ref, code: ErrorCode.UnknownSku, reason: 'Unknown SKU: A' } },
      { type: 'CheckoutFailed', payload: { ...ref, failedStep: 'stock', code: ErrorCode.UnknownSku, reason: 'Unknown SKU: A' } },
    ],
  },
  {
    worker: 'orderCreation',
    on: stockReserved,
    outcome: 'order created',
    react: () => orderCreationReaction(stockReserved, { ok: true, order }),
    publishes: [{ type: 'OrderCreated', payload: { ...ref, orderId: 'ord-1', totalCents: 1000, paymentToken: 'tok_visa' } }],
  },
  {
    worker: 'orderCreation',
    on: stockReserved,
    outcome: 'refused over the limit',
    react: () => orderCreationReaction(stockReserved, refused('order', ErrorCode.OrderOverLimit, 'Over the limit')),
    publishes: [{ type: 'OrderCreationFailed', payload: { ...ref, code: ErrorCode.OrderOverLimit, reason: 'Over the limit' } }],
  },
  {
    worker: 'payment',
    on: orderCreated,
    outcome: 'authorized',
    react: () => paymentReaction(orderCreated, { ok: true, authorization: { checkoutId: ref.checkoutId, status: 'AUTHORIZED', amountCents: 1000 } }),
    publishes: [{ type: 'PaymentAuthorized', payload: { ...ref, orderId: 'ord-1', amountCents: 1000 } }],
  },
  {
    worker: 'payment',
    on: orderCreated,
    outcome: 'declined',
    react: () => paymentReaction(orderCreated, refused('payment', ErrorCode.CardDeclined, 'Card declined')),
    publishes: [{ type: 'PaymentFailed', payload: { ...ref, orderId: 'ord-1', code: ErrorCode.CardDeclined, reason: 'Card declined' } }],
  },
  {
    worker: 'orderConfirmation',
    on: paymentAuthorized,
    outcome: 'confirmed',
    react: () => orderConfirmationReaction(paymentAuthorized, { ok: true, order: { ...order, status: 'CONFIRMED' } }),
    publishes: [
      { type: 'OrderConfirmed', payload: { ...ref, orderId: 'ord-1' } },
      { type: 'CheckoutSucceeded', payload: { ...ref, orderId: 'ord-1', totalCents: 1000 } },
    ],
  },
  {
    worker: 'orderConfirmation',
    on: paymentAuthorized,
    outcome: 'refused: a compensation released the stock first',
    react: () => orderConfirmationReaction(paymentAuthorized, refused('confirmation', ErrorCode.ReservationReleased, 'Released')),
    publishes: [
      { type: 'OrderCancelled', payload: { ...ref, orderId: 'ord-1', failedStep: 'confirmation', code: ErrorCode.ReservationReleased, reason: 'Released' } },
    ],
  },
  {
    worker: 'orderCompensation',
    on: paymentFailed,
    outcome: 'order cancelled',
    react: () => orderCompensationReaction(paymentFailed),
    publishes: [
      { type: 'OrderCancelled', payload: { ...ref, orderId: 'ord-1', failedStep: 'payment', code: ErrorCode.CardDeclined, reason: 'Card declined' } },
    ],
  },
  {
    worker: 'stockCompensation',
    on: creationFailed,
    outcome: 'stock released after a refused order',
    react: () => stockCompensationReaction(creationFailed),
    publishes: [
      { type: 'StockReleased', payload: { ...ref, failedStep: 'order', code: ErrorCode.OrderOverLimit, reason: 'Over the limit' } },
      { type: 'CheckoutFailed', payload: { ...ref, failedStep: 'order', code: ErrorCode.OrderOverLimit, reason: 'Over the limit' } },
    ],
  },
  {
    worker: 'stockCompensation',
    on: cancelledAtDeadline,
    outcome: 'stock released after a cancelled order, keeping its cause',
    react: () => stockCompensationReaction(cancelledAtDeadline),
    publishes: [
      { type: 'StockReleased', payload: { ...ref, failedStep: 'payment', code: ErrorCode.CheckoutDeadlineExceeded, reason: 'Deadline passed' } },
      { type: 'CheckoutFailed', payload: { ...ref, failedStep: 'payment', code: ErrorCode.CheckoutDeadlineExceeded, reason: 'Deadline passed' } },
    ],
  },
  {
    worker: 'stockCompensation',
    on: cancelledWithoutCause,
    outcome: 'stock released after an order cancelled without a cause (taken for a refused payment)',
    react: () => stockCompensationReaction(cancelledWithoutCause),
    publishes: [
      { type: 'StockReleased', payload: { ...ref, failedStep: 'payment', code: ErrorCode.OrderCancelled, reason: 'Cancelled' } },
      { type: 'CheckoutFailed', payload: { ...ref, failedStep: 'payment', code: ErrorCode.OrderCancelled, reason: 'Cancelled' } },
    ],
  },
];

describe('choreography reactions', () => {
  describe.each(TABLE)('$worker on $on.type, $outcome', ({ worker, on, react, publishes }) => {
    it('publishes exactly these events', () => {
      expect(react().map(({ type, payload }) => ({ type, payload }))).toEqual(publishes);
    });

    it('derives each id from the incoming event, as its cause, under the checkout and the worker', () => {
      expect(react()).toEqual(
        publishes.map(({ type }) =>
          expect.objectContaining({
            eventId: deterministicEventId(on.eventId, type),
            causationId: on.eventId,
            correlationId: ref.checkoutId,
            producer: SAGA_WORKERS[worker].name,
          }),
        ),
      );
    });

    it('publishes the same ids again when the event is delivered again', () => {
      expect(react().map((e) => e.eventId)).toEqual(react().map((e) => e.eventId));
      expect(new Set(react().map((e) => e.eventId)).size).toBe(publishes.length);
    });
  });

  it('covers every worker', () => {
    expect(new Set(TABLE.map((row) => row.worker))).toEqual(new Set(Object.keys(SAGA_WORKERS)));
  });

  it("matches the ids of the deadline worker's compensation, so its StockReleased and CheckoutFailed deduplicate", () => {
    const [released, failed] = stockCompensationReaction(cancelledAtDeadline);
    expect([released?.eventId, failed?.eventId]).toEqual([
      deterministicEventId(cancelledAtDeadline.eventId, 'StockReleased'),
      deterministicEventId(cancelledAtDeadline.eventId, 'CheckoutFailed'),
    ]);
  });

  it('gives each worker its own consumer group, named after it', () => {
    const workers = Object.values(SAGA_WORKERS);
    expect(workers.map((w) => w.name)).toEqual(workers.map((w) => `${w.group}-worker`));
    expect(new Set(workers.map((w) => w.group)).size).toBe(workers.length);
  });
});
