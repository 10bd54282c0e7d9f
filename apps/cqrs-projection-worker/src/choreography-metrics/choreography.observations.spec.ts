import type { AnyEvent } from '@app/contracts';
import { type ViewChange, checkoutStatusModel, ordersByClientModel } from '@app/event-store';
import { type CheckoutView, evolveCheckout } from '@app/projections';
import { choreographedCheckout, orchestratedCheckout } from '@app/testing';
import { observationsOf } from './choreography.observations.js';

const ref = { checkoutId: 'c1', clientId: 'ann', at: new Date('2026-03-01T10:00:00Z'), stepMs: 250 };

/** The changes the projector reports for these events applied one by one to the checkout view. */
function changesOf(events: AnyEvent[], start?: CheckoutView): ViewChange[] {
  let view = start;
  return events.map((event) => {
    const after = evolveCheckout(view, event);
    const change = { model: checkoutStatusModel.name, key: 'c1', event, before: view, after };
    view = after;
    return change;
  });
}

describe('choreography observations', () => {
  it('times every step of a successful checkout, then the checkout itself once it succeeds', () => {
    expect(changesOf(choreographedCheckout('succeeded', ref)).flatMap(observationsOf)).toEqual([
      { kind: 'step', step: 'stock', seconds: 0.25 },
      { kind: 'step', step: 'order', seconds: 0.25 },
      { kind: 'step', step: 'payment', seconds: 0.25 },
      { kind: 'step', step: 'confirmation', seconds: 0.25 },
      { kind: 'succeeded', seconds: 1.25 },
    ]);
  });

  it('reports a failure with its code and step, timed to the terminal event after the compensations', () => {
    expect(changesOf(choreographedCheckout('declined', ref)).flatMap(observationsOf)).toEqual([
      { kind: 'step', step: 'stock', seconds: 0.25 },
      { kind: 'step', step: 'order', seconds: 0.25 },
      { kind: 'step', step: 'payment', seconds: 0.25 },
      { kind: 'failed', reason: 'PAYMENTS.CARD_DECLINED', step: 'payment', seconds: 1.5 },
    ]);
    expect(changesOf(choreographedCheckout('out-of-stock', ref)).flatMap(observationsOf)).toEqual([
      { kind: 'step', step: 'stock', seconds: 0.25 },
      { kind: 'failed', reason: 'INVENTORY.INSUFFICIENT_STOCK', step: 'stock', seconds: 0.5 },
    ]);
  });

  it('observes nothing after the end, nor for orchestrated checkouts or other read models', () => {
    const done = changesOf(choreographedCheckout('succeeded', ref)).at(-1)!.after as CheckoutView;
    const late = choreographedCheckout('declined', { ...ref, at: new Date('2026-03-01T11:00:00Z') }).slice(3);
    expect(changesOf(late, done).flatMap(observationsOf)).toEqual([]);
    expect(changesOf(orchestratedCheckout('succeeded', { ...ref, sagaId: 's1' })).flatMap(observationsOf)).toEqual([]);
    const [terminal] = changesOf(choreographedCheckout('succeeded', ref)).slice(-1);
    expect(observationsOf({ ...terminal!, model: ordersByClientModel.name })).toEqual([]);
  });

  it('counts the outcome without a duration when the start was never seen', () => {
    const [, , failed] = choreographedCheckout('out-of-stock', ref);
    expect(changesOf([failed!]).flatMap(observationsOf)).toEqual([{ kind: 'failed', reason: 'INVENTORY.INSUFFICIENT_STOCK', step: 'stock' }]);
  });
});
