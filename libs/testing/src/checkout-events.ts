import { type AnyEvent, type EventMap, type EventType, SagaState, createEnvelope, deterministicEventId, isTerminalSagaState } from '@app/contracts';

/** How a choreographed checkout of {@link choreographedCheckout} ends. */
export type ChoreographyEnding = 'succeeded' | 'out-of-stock' | 'over-limit' | 'declined';

export interface SequenceOptions {
  checkoutId: string;
  clientId: string;
  /** occurredAt of the first event; each next event is `stepMs` later. Default now. */
  at?: Date;
  stepMs?: number;
}

/** Builds a chain of envelopes as the system publishes them: each caused by the one before, with the id a redelivered handler would publish again. */
class Chain {
  readonly events: AnyEvent[] = [];
  private clock: number;
  private readonly stepMs: number;

  constructor(
    private readonly correlationId: string,
    options: SequenceOptions,
  ) {
    this.clock = (options.at ?? new Date()).getTime();
    this.stepMs = options.stepMs ?? 10;
  }

  add<T extends EventType>(type: T, payload: EventMap[T], producer: string): this {
    const previous = this.events.at(-1);
    const ids = previous === undefined ? {} : { causationId: previous.eventId, eventId: deterministicEventId(previous.eventId, type) };
    const envelope = createEnvelope(type, payload, { correlationId: this.correlationId, producer, ...ids });
    this.events.push({ ...envelope, occurredAt: new Date(this.clock).toISOString() } as AnyEvent);
    this.clock += this.stepMs;
    return this;
  }
}

/**
 * The events of one choreographed checkout, as the checkout app and the six workers publish them
 * on `ecommerce.checkout.events`: one item of 2 x 1250 cents, paid with `tok_visa` unless declined.
 */
export function choreographedCheckout(ending: ChoreographyEnding, options: SequenceOptions): AnyEvent[] {
  const ref = { checkoutId: options.checkoutId, clientId: options.clientId };
  const token = ending === 'declined' ? 'tok_chargeDeclined' : 'tok_visa';
  const items = [{ sku: 'SKU-1', quantity: 2 }];
  const orderId = `order-${options.checkoutId}`;
  const chain = new Chain(options.checkoutId, options).add('CheckoutInitiated', { ...ref, items, paymentToken: token }, 'checkout');
  if (ending === 'out-of-stock') {
    const refusal = { code: 'INVENTORY.INSUFFICIENT_STOCK', reason: 'Not enough SKU-1 in stock' };
    return chain
      .add('StockReservationFailed', { ...ref, ...refusal, shortages: [{ sku: 'SKU-1', requested: 2, available: 1 }] }, 'stock-reservation-worker')
      .add('CheckoutFailed', { ...ref, ...refusal, failedStep: 'stock' }, 'stock-reservation-worker').events;
  }
  const totalCents = ending === 'over-limit' ? 2_000_000 : 2_500;
  chain.add(
    'StockReserved',
    { ...ref, items: [{ ...items[0]!, unitPriceCents: totalCents / 2 }], totalCents, paymentToken: token },
    'stock-reservation-worker',
  );
  if (ending === 'over-limit') {
    const refusal = { code: 'ORDERS.OVER_LIMIT', reason: 'Order total over the limit' };
    return chain
      .add('OrderCreationFailed', { ...ref, ...refusal }, 'order-creation-worker')
      .add('StockReleased', { ...ref, ...refusal, failedStep: 'order' }, 'stock-compensation-worker')
      .add('CheckoutFailed', { ...ref, ...refusal, failedStep: 'order' }, 'stock-compensation-worker').events;
  }
  chain.add('OrderCreated', { ...ref, orderId, totalCents, paymentToken: token }, 'order-creation-worker');
  if (ending === 'declined') {
    const refusal = { code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' };
    return chain
      .add('PaymentFailed', { ...ref, ...refusal, orderId }, 'payment-worker')
      .add('OrderCancelled', { ...ref, orderId, reason: refusal.reason, failedStep: 'payment', code: refusal.code }, 'order-compensation-worker')
      .add('StockReleased', { ...ref, ...refusal, failedStep: 'payment' }, 'stock-compensation-worker')
      .add('CheckoutFailed', { ...ref, ...refusal, failedStep: 'payment' }, 'stock-compensation-worker').events;
  }
  return chain
    .add('PaymentAuthorized', { ...ref, orderId, amountCents: totalCents }, 'payment-worker')
    .add('OrderConfirmed', { ...ref, orderId }, 'order-confirmation-worker')
    .add('CheckoutSucceeded', { ...ref, orderId, totalCents }, 'order-confirmation-worker').events;
}

const FORWARD: SagaState[] = [
  SagaState.EN_ATTENTE,
  SagaState.VERIFICATION_STOCK,
  SagaState.STOCK_VERIFIE,
  SagaState.RESERVATION_STOCK,
  SagaState.STOCK_RESERVE,
  SagaState.CREATION_COMMANDE,
  SagaState.COMMANDE_CREEE,
  SagaState.AUTORISATION_PAIEMENT,
];

/**
 * The events of one orchestrated checkout as the orchestrator publishes them: its `SagaTransitioned`
 * on `ecommerce.saga.events`, to SAGA_TERMINEE or (a declined payment compensated) to SAGA_ANNULEE,
 * then its outcome, `CheckoutSucceeded` or `CheckoutFailed` with the `sagaId`, on the checkout stream.
 */
export function orchestratedCheckout(ending: 'succeeded' | 'declined', options: SequenceOptions & { sagaId: string }): AnyEvent[] {
  const base = { sagaId: options.sagaId, checkoutId: options.checkoutId, clientId: options.clientId };
  const order = { orderId: `order-${options.checkoutId}`, totalCents: 2_500 };
  const failure = { failedStep: 'payment' as const, code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' };
  const path =
    ending === 'succeeded'
      ? [...FORWARD, SagaState.PAIEMENT_AUTORISE, SagaState.CONFIRMATION_COMMANDE, SagaState.SAGA_TERMINEE]
      : [...FORWARD, SagaState.ECHEC_PAIEMENT, SagaState.COMPENSATION_EN_COURS, SagaState.SAGA_ANNULEE];
  const chain = new Chain(options.sagaId, options);
  path.slice(1).forEach((to, i) => {
    const from = path[i]!;
    const known = { ...(i >= 5 && order), ...(ending === 'declined' && i >= 7 && failure) };
    chain.add('SagaTransitioned', { ...base, from, to, terminal: isTerminalSagaState(to), ...known }, 'saga-orchestrator');
  });
  return ending === 'succeeded'
    ? chain.add('CheckoutSucceeded', { ...base, ...order }, 'saga-orchestrator').events
    : chain.add('CheckoutFailed', { ...base, ...failure }, 'saga-orchestrator').events;
}

/** The events of an event-sourced cart on `ecommerce.carts.events`, checked out as `checkoutId`. */
export function cartLifecycle(options: SequenceOptions & { cartId: string }): AnyEvent[] {
  const { cartId, clientId, checkoutId } = options;
  return new Chain(cartId, options)
    .add('CartCreated', { cartId, clientId }, 'checkout')
    .add('CartItemAdded', { cartId, sku: 'SKU-1', quantity: 1 }, 'checkout')
    .add('CartItemAdded', { cartId, sku: 'SKU-2', quantity: 3 }, 'checkout')
    .add('CartItemRemoved', { cartId, sku: 'SKU-2' }, 'checkout')
    .add('CartItemAdded', { cartId, sku: 'SKU-1', quantity: 1 }, 'checkout')
    .add('CartCheckedOut', { cartId, checkoutId, mode: 'choreographed' }, 'checkout').events;
}

/** Sequences merged round-robin, each keeping its order: checkouts running side by side, as on the bus. */
export function interleave(sequences: readonly AnyEvent[][]): AnyEvent[] {
  const longest = Math.max(0, ...sequences.map((s) => s.length));
  return Array.from({ length: longest }, (_, i) => sequences.flatMap((s) => (i < s.length ? [s[i]!] : []))).flat();
}
