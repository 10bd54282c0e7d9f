import { type AnyEvent, type EventEnvelope, SagaState, type SagaEvents, createEnvelope, deterministicEventId } from '@app/contracts';
import { type Decision, isTerminal } from '../saga/saga.machine.js';
import type { SagaFacts } from '../saga/saga.model.js';

/** The `producer` of the orchestrator's events. */
export const PRODUCER = 'saga-orchestrator';

/** Transition `seq` of a saga always has this event id, so a relayed duplicate is recognisable. */
const eventIdOf = (sagaId: string, seq: number): string => deterministicEventId(`${sagaId}:${seq}`, 'SagaTransitioned');

type SagaIdentity = { id: string; checkoutId: string; clientId: string; transitions: number };

/** The events one transition publishes: its `SagaTransitioned`, then the checkout's outcome when it ends the checkout. */
export interface TransitionEvents {
  transition: EventEnvelope<'SagaTransitioned'>;
  outcome?: AnyEvent;
}

/**
 * What the decision publishes, transition by transition: one `SagaTransitioned` each, numbered
 * after the saga's `recorded` transitions, each caused by the one before it; and, when a
 * transition ends the checkout for its client, the checkout's outcome ({@link outcomeEvent}).
 */
export function sagaEvents(saga: SagaIdentity, decision: Decision, data: SagaFacts): TransitionEvents[] {
  return transitionEvents(saga, decision, data).map((transition) => {
    const outcome = outcomeEvent(transition, data);
    return outcome === undefined ? { transition } : { transition, outcome };
  });
}

/**
 * `CheckoutSucceeded` when the saga reaches SAGA_TERMINEE, `CheckoutFailed` when it reaches
 * SAGA_ANNULEE, caused by that transition: the same outcome events as the choreography's, with the
 * `sagaId`, so whatever follows a checkout (notifications, read models, shipping) reads one pair of
 * events on the checkout stream instead of every transition. A parked compensation
 * (COMPENSATION_ECHOUEE) has not undone everything yet: its checkout ends once it is cancelled.
 */
export function outcomeEvent(transition: EventEnvelope<'SagaTransitioned'>, data: SagaFacts): AnyEvent | undefined {
  const { sagaId, checkoutId, clientId, to } = transition.payload;
  const context = { correlationId: transition.correlationId, causationId: transition.eventId, producer: PRODUCER };
  const ref = { checkoutId, clientId, sagaId };
  if (to === SagaState.SAGA_TERMINEE && data.orderId !== undefined && data.totalCents !== undefined) {
    const payload = { ...ref, orderId: data.orderId, totalCents: data.totalCents };
    return createEnvelope('CheckoutSucceeded', payload, { ...context, eventId: deterministicEventId(transition.eventId, 'CheckoutSucceeded') });
  }
  if (to === SagaState.SAGA_ANNULEE) {
    const { step, code, reason } = data.failure ?? { step: 'confirmation', code: 'SAGA.CANCELLED', reason: 'The checkout was cancelled' };
    const payload = { ...ref, failedStep: step, code, reason };
    return createEnvelope('CheckoutFailed', payload, { ...context, eventId: deterministicEventId(transition.eventId, 'CheckoutFailed') });
  }
  return undefined;
}

/** One `SagaTransitioned` per transition of the decision (see {@link sagaEvents}). */
export function transitionEvents(
  saga: SagaIdentity,
  decision: Decision,
  data: SagaFacts,
): EventEnvelope<'SagaTransitioned'>[] {
  const known: Partial<SagaEvents['SagaTransitioned']> = {
    ...(data.orderId !== undefined && { orderId: data.orderId }),
    ...(data.totalCents !== undefined && { totalCents: data.totalCents }),
    ...(data.failure !== undefined && { failedStep: data.failure.step, code: data.failure.code, reason: data.failure.reason }),
  };
  return decision.transitions.map(({ from, to }, i) => {
    const seq = saga.transitions + i + 1;
    const payload = { sagaId: saga.id, checkoutId: saga.checkoutId, clientId: saga.clientId, from, to, terminal: isTerminal(to), ...known };
    return createEnvelope('SagaTransitioned', payload, {
      correlationId: saga.id,
      causationId: seq > 1 ? eventIdOf(saga.id, seq - 1) : null,
      producer: PRODUCER,
      eventId: eventIdOf(saga.id, seq),
    });
  });
}
