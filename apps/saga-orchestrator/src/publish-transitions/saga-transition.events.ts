import { type EventEnvelope, type SagaEvents, createEnvelope, deterministicEventId } from '@app/contracts';
import { type Decision, isTerminal } from '../saga/saga.machine.js';
import type { SagaFacts } from '../saga/saga.model.js';

/** The `producer` of the orchestrator's events. */
export const PRODUCER = 'saga-orchestrator';

/** Transition `seq` of a saga always has this event id, so a relayed duplicate is recognisable. */
const eventIdOf = (sagaId: string, seq: number): string => deterministicEventId(`${sagaId}:${seq}`, 'SagaTransitioned');

/**
 * One `SagaTransitioned` per transition of the decision, numbered after the saga's `recorded`
 * transitions, each caused by the one before it.
 */
export function transitionEvents(
  saga: { id: string; checkoutId: string; clientId: string; transitions: number },
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
