import { type DataSource } from 'typeorm';
import { type AnyEvent, STREAM_OF, createEnvelope } from '@app/contracts';
import { type TestEventStore, choreographedCheckout, createTestEventStore, orchestratedCheckout } from '@app/testing';
import { appendEvents } from '../event-store.appender.js';
import { ordersOfClient } from './client-orders.reader.js';
import { ordersByClientModel } from './read-model.definitions.js';
import { projectEvents } from './read-model.projector.js';
import { rebuildReadModel } from './read-model.rebuilder.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));

/** What the orchestrator publishes when an operator forces the compensation of a finished saga. */
function forcedCompensation(saga: AnyEvent[]): AnyEvent[] {
  const done = saga.filter((e) => e.type === 'SagaTransitioned').at(-1);
  if (done?.type !== 'SagaTransitioned') throw new Error('not a saga');
  const { sagaId, checkoutId, clientId, orderId, totalCents } = done.payload;
  const known = { sagaId, checkoutId, clientId, orderId, totalCents };
  const failure = { failedStep: 'confirmation' as const, code: 'SAGA.COMPENSATION_FORCED', reason: 'Compensation forced by an operator' };
  const ctx = { correlationId: sagaId, producer: 'saga-orchestrator' };
  const later = (minutes: number) => new Date(Date.parse(done.occurredAt) + minutes * 60_000).toISOString();
  return [
    {
      ...createEnvelope('SagaTransitioned', { ...known, ...failure, from: 'SAGA_TERMINEE', to: 'COMPENSATION_EN_COURS', terminal: false }, ctx),
      occurredAt: later(1),
    },
    {
      ...createEnvelope('SagaTransitioned', { ...known, ...failure, from: 'COMPENSATION_EN_COURS', to: 'SAGA_ANNULEE', terminal: true }, ctx),
      occurredAt: later(2),
    },
    { ...createEnvelope('CheckoutFailed', { sagaId, checkoutId, clientId, ...failure }, ctx), occurredAt: later(2) },
  ] as AnyEvent[];
}

/** An order cancelled after its checkout succeeded, as a choreographed compensation publishes it. */
function cancelled(checkout: AnyEvent[]): AnyEvent {
  const { checkoutId, clientId, orderId } = checkout.at(-1)!.payload as { checkoutId: string; clientId: string; orderId: string };
  const envelope = createEnvelope(
    'OrderCancelled',
    { checkoutId, clientId, orderId, reason: 'Cancelled', failedStep: 'confirmation' },
    { correlationId: checkoutId, producer: 'test' },
  );
  return { ...envelope, occurredAt: new Date(Date.parse(checkout.at(-1)!.occurredAt) + 60_000).toISOString() };
}

describe('orders-by-client read model (PostgreSQL)', () => {
  let eventStore: TestEventStore;
  let db: DataSource;
  const store = (events: AnyEvent[]) =>
    appendEvents(
      db,
      events.map((event) => ({ stream: STREAM_OF[event.type], event })),
    );

  beforeAll(async () => {
    eventStore = await createTestEventStore('client_orders');
    db = eventStore.db;
  });

  afterAll(async () => {
    await eventStore.drop();
  });

  it('stops counting and naming an order once cancelled, in both styles, live and after a rebuild', async () => {
    const kept = choreographedCheckout('succeeded', { checkoutId: 'k-1', clientId: 'gus', at: at(0) });
    const choreo = choreographedCheckout('succeeded', { checkoutId: 'k-2', clientId: 'gus', at: at(10) });
    const saga = orchestratedCheckout('succeeded', { checkoutId: 'k-3', clientId: 'gus', sagaId: 'k-3', at: at(20) });
    const onlyOrder = orchestratedCheckout('succeeded', { checkoutId: 'k-4', clientId: 'ivy', sagaId: 'k-4', at: at(30) });
    const live = [...kept, ...choreo, ...saga, ...onlyOrder];
    await store(live);
    await projectEvents(db, live);
    expect(await ordersOfClient(db, 'gus')).toEqual({
      clientId: 'gus',
      totalOrders: 3,
      lastOrderId: 'order-k-3',
      lastCheckoutId: 'k-3',
      // Its transition to SAGA_TERMINEE, the earliest of the two events that tell its success.
      lastUpdateTs: saga.at(-2)!.occurredAt,
    });

    const cancellations = [cancelled(choreo), ...forcedCompensation(saga), ...forcedCompensation(onlyOrder)];
    await store(cancellations);
    await projectEvents(db, cancellations);
    const expected = { clientId: 'gus', totalOrders: 1, lastOrderId: 'order-k-1', lastCheckoutId: 'k-1', lastUpdateTs: kept.at(-1)!.occurredAt };
    expect(await ordersOfClient(db, 'gus')).toEqual(expected);
    expect(await ordersOfClient(db, 'ivy')).toBeUndefined();

    await rebuildReadModel(db, ordersByClientModel);
    expect(await ordersOfClient(db, 'gus')).toEqual(expected);
    expect(await ordersOfClient(db, 'ivy')).toBeUndefined();
  });

  it('does not count an order whose cancellation was projected before its success', async () => {
    const checkout = choreographedCheckout('succeeded', { checkoutId: 'r-1', clientId: 'rex', at: at(40) });
    const events = [cancelled(checkout), ...checkout];
    await store(events);
    await projectEvents(db, events);
    expect(await ordersOfClient(db, 'rex')).toBeUndefined();
  });
});
