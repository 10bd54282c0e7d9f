import type { CheckoutStep, EventType } from '@app/contracts';
import { type ViewChange, checkoutStatusModel } from '@app/event-store';
import type { CheckoutView } from '@app/projections';

/** What the comparison with the orchestrator learns from one change of a choreographed checkout. */
export type ChoreographyObservation =
  | { kind: 'step'; step: CheckoutStep; seconds: number }
  | { kind: 'succeeded'; seconds?: number }
  | { kind: 'failed'; reason: string; step: string; seconds?: number };

/** Each step of the choreography: the events that end it, and the event that started it. */
const STEP_ENDED_BY: Partial<Record<EventType, { step: CheckoutStep; startedBy: EventType }>> = {
  StockReserved: { step: 'stock', startedBy: 'CheckoutInitiated' },
  StockReservationFailed: { step: 'stock', startedBy: 'CheckoutInitiated' },
  OrderCreated: { step: 'order', startedBy: 'StockReserved' },
  OrderCreationFailed: { step: 'order', startedBy: 'StockReserved' },
  PaymentAuthorized: { step: 'payment', startedBy: 'OrderCreated' },
  PaymentFailed: { step: 'payment', startedBy: 'OrderCreated' },
  OrderConfirmed: { step: 'confirmation', startedBy: 'PaymentAuthorized' },
};

const secondsBetween = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1_000);

/**
 * The observations of one change of the checkout read model (pure): a step's duration when the
 * event ending it follows the event starting it, and the outcome with the checkout's duration when
 * the view first becomes terminal. Orchestrated checkouts, other read models and events after the
 * end observe nothing; a redelivered event makes no change, so it is never observed twice.
 */
export function observationsOf(change: ViewChange): ChoreographyObservation[] {
  if (change.model !== checkoutStatusModel.name) return [];
  const before = change.before as CheckoutView | undefined;
  const after = change.after as CheckoutView | undefined;
  if (after?.style !== 'choreographed' || (before !== undefined && before.status !== 'PENDING')) return [];
  const { event } = change;
  const observations: ChoreographyObservation[] = [];
  const step = STEP_ENDED_BY[event.type];
  if (step !== undefined && before?.lastEventType === step.startedBy) {
    observations.push({ kind: 'step', step: step.step, seconds: secondsBetween(before.updatedAt, event.occurredAt) });
  }
  if (after.status === 'PENDING') return observations;
  const seconds = after.startedAt === undefined ? {} : { seconds: secondsBetween(after.startedAt, event.occurredAt) };
  observations.push(
    after.status === 'SUCCEEDED'
      ? { kind: 'succeeded', ...seconds }
      : { kind: 'failed', reason: after.code ?? 'UNKNOWN', step: after.failedStep ?? 'unknown', ...seconds },
  );
  return observations;
}
