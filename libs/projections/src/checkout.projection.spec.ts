import type { AnyEvent, SagaState } from '@app/contracts';
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
    expect(failed).toMatchObject({ status: 'FAILED', failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', compensations: ['OrderCancelled', 'StockReleased'] });
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
    event('SagaTransitioned', { sagaId: 's1', checkoutId: 'c1', clientId: 'alice', from, to, terminal: ['SAGA_TERMINEE', 'SAGA_ANNULEE'].includes(to), ...extra }, 's1');

  it('follows the saga states to SUCCEEDED', () => {
    const view = fold([t('EN_ATTENTE', 'VERIFICATION_STOCK'), t('COMMANDE_CREEE', 'AUTORISATION_PAIEMENT', { orderId: 'o9' }), t('CONFIRMATION_COMMANDE', 'SAGA_TERMINEE', { orderId: 'o9', totalCents: 700 })]);
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

  it('replays with a timeline showing each transition', () => {
    const { timeline } = replayCheckout([t('EN_ATTENTE', 'VERIFICATION_STOCK'), t('VERIFICATION_STOCK', 'STOCK_VERIFIE')]);
    expect(timeline.map((e) => e.transition)).toEqual(['EN_ATTENTE -> VERIFICATION_STOCK', 'VERIFICATION_STOCK -> STOCK_VERIFIE']);
  });
});
