import { isTerminal } from '../saga/saga.machine.js';
import type { SagaRecord, TransitionRow } from '../saga/saga.mapper.js';
import type { SagaData, SagaFacts } from '../saga/saga.model.js';

/** A saga in a list: who, where it is, and how it ended. */
export function sagaSummaryOf(saga: SagaRecord) {
  const facts: SagaFacts = saga.data;
  return {
    sagaId: saga.id,
    checkoutId: saga.checkoutId,
    clientId: saga.clientId,
    state: saga.state,
    terminal: isTerminal(saga.state),
    orderId: facts.orderId,
    totalCents: facts.totalCents,
    failedStep: facts.failure?.step,
    code: facts.failure?.code,
    attempt: saga.attempt,
    createdAt: saga.createdAt.toISOString(),
    updatedAt: saga.updatedAt.toISOString(),
  };
}

/** The payment token stays in the saga (a resumed saga needs it) but is never shown. */
const publicDataOf = ({ request: { payment: _payment, ...request }, ...data }: SagaData) => ({ ...data, request });

/** A saga with its data and its whole transition history. */
export function sagaStatusOf(saga: SagaRecord, history: readonly TransitionRow[]) {
  return {
    ...sagaSummaryOf(saga),
    version: saga.version,
    deadlineAt: saga.deadlineAt.toISOString(),
    data: publicDataOf(saga.data),
    transitions: history.map((t) => ({ seq: t.seq, from: t.from_state, to: t.to_state, at: t.at.toISOString(), detail: t.detail, attempt: t.attempt })),
  };
}

export type SagaStatusView = ReturnType<typeof sagaStatusOf>;
