import type { AnyEvent, SagaState } from '@app/contracts';
import { orchestratedCheckout } from '@app/testing';
import { evolveCheckout } from './checkout.projection.js';
import { replayCheckout } from './replay.js';
import { event } from './test-events.js';

const ref = { checkoutId: 'c1', clientId: 'alice' };
const fold = (events: AnyEvent[]) => events.reduce(evolveCheckout, undefined);

describe('checkout projection, choreographed', () => {
  const happy = [
    event('CheckoutInitiated', { ...ref, items: [{ sku: 'A', quantity: 1 }], paymentToken: 'tok_visa' }),
    event('StockReserved', { ...ref, items: [{ sku: 'A', quantity: 1, unitPriceCents: 500 }], totalCents: 500, paymentToken: 'tok_visa' }),
    event('OrderCreated', { ...ref, orderId: 'o1', totalCents: 500, paymentToken: 'tok_visa' }),
    event('PaymentAuthorized', { ...ref, orderId: 'o1', amountCents: 500 }),
    event('OrderConfirmed', { ...ref, orderId: 'o1' }),
    event('CheckoutSucceeded', { ...ref, orderId: 'o1', totalCents: 500 }),
  ];

  it('is PENDING until the terminal event, then SUCCEEDED with the order', () => {
    expect(fold(happy.slice(0, 5))).toMatchObject({ status: 'PENDING', orderId: 'o1', style: 'choreographed' });
    expect(fold(happy)).toMatchObject({ status: 'SUCCEEDED', orderId: 'o1', totalCents: 500, clientId: 'alice' });
  });

  it('ends FAILED with the step and reason, listing compensations in order', () => {
    const failed = fold([
      ...happy.slice(0, 3),
      event('PaymentFailed', { ...ref, orderId: 'o1', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined' }),
      event('OrderCancelled', { ...ref, orderId: 'o1', reason: 'declined' }),
      event('StockReleased', { ...ref, failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined' }),
      event('CheckoutFailed', { ...ref, failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined' }),
    ]);
    expect(failed).toMatchObject({
      status: 'FAILED',
      failedStep: 'payment',
      code: 'PAYMENTS.CARD_DECLINED',
      compensations: ['OrderCancelled', 'StockReleased'],
    });
  });

  it('never reopens a terminal checkout on a late or redelivered event', () => {
    const done = fold(happy)!;
    const late = evolveCheckout(done, event('CheckoutFailed', { ...ref, failedStep: 'stock', code: 'X', reason: 'late' }));
    expect(late).toMatchObject({ status: 'SUCCEEDED', orderId: 'o1' });
    expect(late).not.toHaveProperty('failedStep');
  });

  it('records when the checkout started, and keeps it to the end', () => {
    expect(fold(happy)).toMatchObject({ startedAt: happy[0]!.occurredAt, updatedAt: happy[5]!.occurredAt });
    expect(fold(happy.slice(1))).not.toHaveProperty('startedAt');
  });

  it('ignores cart events', () => {
    expect(evolveCheckout(undefined, event('CartCreated', { cartId: 'k1', clientId: 'alice' }))).toBeUndefined();
  });
});

describe('checkout projection, orchestrated', () => {
  const t = (from: SagaState, to: SagaState, extra = {}) =>
    event(
      'SagaTransitioned',
      { sagaId: 's1', checkoutId: 'c1', clientId: 'alice', from, to, terminal: ['SAGA_TERMINEE', 'SAGA_ANNULEE'].includes(to), ...extra },
      's1',
    );

  it('follows the saga states to SUCCEEDED', () => {
    const view = fold([
      t('EN_ATTENTE', 'VERIFICATION_STOCK'),
      t('COMMANDE_CREEE', 'AUTORISATION_PAIEMENT', { orderId: 'o9' }),
      t('CONFIRMATION_COMMANDE', 'SAGA_TERMINEE', { orderId: 'o9', totalCents: 700 }),
    ]);
    expect(view).toMatchObject({ style: 'orchestrated', status: 'SUCCEEDED', sagaId: 's1', sagaState: 'SAGA_TERMINEE', orderId: 'o9', totalCents: 700 });
  });

  it('starts when the saga leaves EN_ATTENTE', () => {
    const first = t('EN_ATTENTE', 'VERIFICATION_STOCK');
    expect(fold([first, t('VERIFICATION_STOCK', 'STOCK_VERIFIE')])).toMatchObject({ startedAt: first.occurredAt });
  });

  it('reports a compensated saga as FAILED with its step and reason', () => {
    const view = fold([
      t('EN_ATTENTE', 'VERIFICATION_STOCK'),
      t('AUTORISATION_PAIEMENT', 'ECHEC_PAIEMENT', { failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined' }),
      t('ECHEC_PAIEMENT', 'COMPENSATION_EN_COURS'),
      t('COMPENSATION_EN_COURS', 'SAGA_ANNULEE', { failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined' }),
    ]);
    expect(view).toMatchObject({ status: 'FAILED', failedStep: 'payment', reason: 'declined', compensations: ['COMPENSATION_EN_COURS'] });
  });

  describe('from the outcome events the orchestrator publishes (a reader of the checkout stream only)', () => {
    const succeeded = event('CheckoutSucceeded', { ...ref, sagaId: 's1', orderId: 'o9', totalCents: 700 }, 's1');
    const failed = event('CheckoutFailed', { ...ref, sagaId: 's1', failedStep: 'confirmation', code: 'SAGA.FORCED', reason: 'by an operator' }, 's1');

    it('is an orchestrated checkout at its saga end state, whatever it saw before', () => {
      expect(fold([succeeded])).toMatchObject({ style: 'orchestrated', status: 'SUCCEEDED', sagaId: 's1', sagaState: 'SAGA_TERMINEE', orderId: 'o9' });
      expect(fold([t('EN_ATTENTE', 'VERIFICATION_STOCK'), succeeded])).toMatchObject({ style: 'orchestrated', status: 'SUCCEEDED' });
    });

    it('gives the same view whether the outcome is folded before, among or after the transitions (two streams)', () => {
      for (const ending of ['succeeded', 'declined'] as const) {
        const events = orchestratedCheckout(ending, { ...ref, sagaId: 's1' });
        const [transitions, outcome] = [events.slice(0, -1), events.at(-1)!];
        const inOrder = fold(events);
        expect(inOrder).toMatchObject({ style: 'orchestrated', status: ending === 'succeeded' ? 'SUCCEEDED' : 'FAILED', lastEventType: 'SagaTransitioned' });
        expect(fold([outcome, ...transitions])).toEqual(inOrder);
        expect(fold([...transitions.slice(0, 4), outcome, ...transitions.slice(4)])).toEqual(inOrder);
      }
    });

    it('turns FAILED when an operator compensates a saga that had succeeded, as SAGA_ANNULEE does', () => {
      expect(fold([succeeded, failed])).toMatchObject({ status: 'FAILED', sagaState: 'SAGA_ANNULEE', code: 'SAGA.FORCED' });
      expect(
        fold([t('CONFIRMATION_COMMANDE', 'SAGA_TERMINEE', { orderId: 'o9', totalCents: 700 }), succeeded, t('SAGA_TERMINEE', 'SAGA_ANNULEE')]),
      ).toMatchObject({
        status: 'FAILED',
      });
    });
  });

  it('replays with a timeline showing each transition', () => {
    const { timeline } = replayCheckout([t('EN_ATTENTE', 'VERIFICATION_STOCK'), t('VERIFICATION_STOCK', 'STOCK_VERIFIE')]);
    expect(timeline.map((e) => e.transition)).toEqual(['EN_ATTENTE -> VERIFICATION_STOCK', 'VERIFICATION_STOCK -> STOCK_VERIFIE']);
  });

  it('replays with the traceparent each event carried as a string, and none from a mistyped or absent context', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const [traced, mistyped, bare] = [t('EN_ATTENTE', 'VERIFICATION_STOCK'), t('VERIFICATION_STOCK', 'STOCK_VERIFIE'), t('STOCK_VERIFIE', 'RESERVATION_STOCK')];
    const { timeline } = replayCheckout([
      { ...traced, traceContext: { traceparent } },
      { ...mistyped, traceContext: { traceparent: 42 } } as unknown as AnyEvent,
      bare,
    ]);
    expect(timeline.map((e) => e.traceparent)).toEqual([traceparent, undefined, undefined]);
    expect(timeline[2]).not.toHaveProperty('traceparent');
  });
});
