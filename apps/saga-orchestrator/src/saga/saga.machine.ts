import { type Compensation, compensationPlan } from '@app/checkout-steps';
import { type CheckoutStep, type SagaState, isTerminalSagaState } from '@app/contracts';
import { snapshotOf } from './saga.facts.js';
import type { ForwardStep, OutcomeType, SagaCommand, SagaFacts, SagaOutcome, SagaSnapshot } from './saga.model.js';

export { SAGA_STATES, type SagaState, TERMINAL_SAGA_STATES as TERMINAL_STATES, isTerminalSagaState as isTerminal } from '@app/contracts';
export type { SagaSnapshot } from './saga.model.js';

/** An `auto` transition follows the previous one at once: there is nothing to wait for in between. */
export type Trigger = OutcomeType | 'auto';

export interface TransitionRule {
  from: SagaState;
  on: Trigger;
  to: SagaState;
}

/** Every legal transition, and only those: `decide` follows this table, anything else is refused. */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'EN_ATTENTE', on: 'Started', to: 'VERIFICATION_STOCK' },
  { from: 'VERIFICATION_STOCK', on: 'StockVerified', to: 'STOCK_VERIFIE' },
  { from: 'VERIFICATION_STOCK', on: 'StepFailed', to: 'ECHEC_STOCK_INSUFFISANT' },
  { from: 'STOCK_VERIFIE', on: 'auto', to: 'RESERVATION_STOCK' },
  { from: 'RESERVATION_STOCK', on: 'StockReserved', to: 'STOCK_RESERVE' },
  { from: 'RESERVATION_STOCK', on: 'StepFailed', to: 'ECHEC_RESERVATION_STOCK' },
  { from: 'STOCK_RESERVE', on: 'auto', to: 'CREATION_COMMANDE' },
  { from: 'CREATION_COMMANDE', on: 'OrderCreated', to: 'COMMANDE_CREEE' },
  { from: 'CREATION_COMMANDE', on: 'StepFailed', to: 'ECHEC_CREATION_COMMANDE' },
  { from: 'COMMANDE_CREEE', on: 'auto', to: 'AUTORISATION_PAIEMENT' },
  { from: 'AUTORISATION_PAIEMENT', on: 'PaymentAuthorized', to: 'PAIEMENT_AUTORISE' },
  { from: 'AUTORISATION_PAIEMENT', on: 'StepFailed', to: 'ECHEC_PAIEMENT' },
  { from: 'PAIEMENT_AUTORISE', on: 'auto', to: 'CONFIRMATION_COMMANDE' },
  { from: 'CONFIRMATION_COMMANDE', on: 'OrderConfirmed', to: 'SAGA_TERMINEE' },
  { from: 'CONFIRMATION_COMMANDE', on: 'StepFailed', to: 'ECHEC_CONFIRMATION_COMMANDE' },

  { from: 'ECHEC_STOCK_INSUFFISANT', on: 'auto', to: 'COMPENSATION_EN_COURS' },
  { from: 'ECHEC_RESERVATION_STOCK', on: 'auto', to: 'COMPENSATION_EN_COURS' },
  { from: 'ECHEC_CREATION_COMMANDE', on: 'auto', to: 'COMPENSATION_EN_COURS' },
  { from: 'ECHEC_PAIEMENT', on: 'auto', to: 'COMPENSATION_EN_COURS' },
  { from: 'ECHEC_CONFIRMATION_COMMANDE', on: 'auto', to: 'COMPENSATION_EN_COURS' },

  // Forced by an operator or by the deadline: from any step in flight, from a finished saga, or to
  // retry a compensation that had failed.
  { from: 'VERIFICATION_STOCK', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },
  { from: 'RESERVATION_STOCK', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },
  { from: 'CREATION_COMMANDE', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },
  { from: 'AUTORISATION_PAIEMENT', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },
  { from: 'CONFIRMATION_COMMANDE', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },
  { from: 'SAGA_TERMINEE', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },
  { from: 'COMPENSATION_ECHOUEE', on: 'CompensationRequested', to: 'COMPENSATION_EN_COURS' },

  { from: 'COMPENSATION_EN_COURS', on: 'Compensated', to: 'SAGA_ANNULEE' },
  { from: 'COMPENSATION_EN_COURS', on: 'CompensationFailed', to: 'COMPENSATION_ECHOUEE' },
];

export interface StateInfo {
  /** The checkout step a failure in this state is reported at. */
  stage?: CheckoutStep;
  /** The participant call the orchestrator makes in this state. */
  runs?: ForwardStep;
  /**
   * What to undo if the saga is abandoned in this state, in order (the reverse of the steps). A
   * step in flight may have taken effect, so its own compensation is included.
   */
  undo: readonly Compensation[];
}

// What is undone once each step may have taken effect: the plan of `@app/checkout-steps`.
const UNDO_ALL = compensationPlan('authorizePayment', { ownEffect: true });
const UNDO_ORDER = compensationPlan('createOrder', { ownEffect: true });
const UNDO_STOCK = compensationPlan('reserveStock', { ownEffect: true });

/** What each state means to the orchestrator. */
export const STATES: Readonly<Record<SagaState, StateInfo>> = {
  EN_ATTENTE: { stage: 'stock', undo: [] },
  VERIFICATION_STOCK: { stage: 'stock', runs: 'checkAvailability', undo: [] },
  STOCK_VERIFIE: { stage: 'stock', undo: [] },
  RESERVATION_STOCK: { stage: 'stock', runs: 'reserveStock', undo: UNDO_STOCK },
  STOCK_RESERVE: { stage: 'order', undo: UNDO_STOCK },
  CREATION_COMMANDE: { stage: 'order', runs: 'createOrder', undo: UNDO_ORDER },
  COMMANDE_CREEE: { stage: 'payment', undo: UNDO_ORDER },
  AUTORISATION_PAIEMENT: { stage: 'payment', runs: 'authorizePayment', undo: UNDO_ALL },
  PAIEMENT_AUTORISE: { stage: 'confirmation', undo: UNDO_ALL },
  CONFIRMATION_COMMANDE: { stage: 'confirmation', runs: 'confirmOrder', undo: UNDO_ALL },
  SAGA_TERMINEE: { stage: 'confirmation', undo: UNDO_ALL },
  ECHEC_STOCK_INSUFFISANT: { undo: [] },
  ECHEC_RESERVATION_STOCK: { undo: [] },
  ECHEC_CREATION_COMMANDE: { undo: [] },
  ECHEC_PAIEMENT: { undo: [] },
  ECHEC_CONFIRMATION_COMMANDE: { undo: [] },
  COMPENSATION_EN_COURS: { undo: [] },
  SAGA_ANNULEE: { undo: [] },
  COMPENSATION_ECHOUEE: { undo: [] },
};

/** The outcome the orchestrator feeds a forward saga that outlived its deadline. */
export const DEADLINE_EXCEEDED: SagaOutcome = {
  type: 'CompensationRequested',
  code: 'SAGA.DEADLINE_EXCEEDED',
  reason: 'The saga did not finish before its deadline',
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly state: SagaState,
    readonly trigger: Trigger,
  ) {
    super(`No transition from ${state} on ${trigger}`);
    this.name = 'IllegalTransitionError';
  }
}

export interface Transition {
  from: SagaState;
  to: SagaState;
  detail: Record<string, unknown>;
}

/** What to record and do after an outcome. */
export interface Decision {
  /** In order; the last one's `to` is the new state. */
  transitions: Transition[];
  state: SagaState;
  /** Facts learned, merged into the saga's data (top-level keys replace). */
  facts: Partial<SagaFacts>;
  command: SagaCommand;
}

function targetOf(state: SagaState, trigger: Trigger): SagaState | undefined {
  return TRANSITIONS.find((rule) => rule.from === state && rule.on === trigger)?.to;
}

/** The command to carry out in a state: its step (with what the state's facts give it), the compensations, or nothing. */
export function commandOf(saga: SagaSnapshot): SagaCommand {
  const { request } = saga.data;
  switch (saga.state) {
    case 'VERIFICATION_STOCK':
      return { kind: 'run', step: 'checkAvailability', items: request.items };
    case 'RESERVATION_STOCK':
      return { kind: 'run', step: 'reserveStock', items: request.items };
    case 'CREATION_COMMANDE':
      return { kind: 'run', step: 'createOrder', clientId: request.clientId, items: saga.data.items };
    case 'AUTORISATION_PAIEMENT':
      return { kind: 'run', step: 'authorizePayment', amountCents: saga.data.totalCents, token: request.payment.sealedToken };
    case 'CONFIRMATION_COMMANDE':
      return { kind: 'run', step: 'confirmOrder', orderId: saga.data.orderId };
    case 'COMPENSATION_EN_COURS':
      return { kind: 'compensate', plan: saga.data.compensation.plan };
    default:
      return { kind: 'stop' };
  }
}

/**
 * Given the saga and what just happened, the transitions to record, the facts learned and the
 * next command. Follows `auto` transitions, and closes a compensation with nothing to undo at once.
 * @throws IllegalTransitionError when the table has no transition for the outcome.
 */
export function decide(saga: SagaSnapshot, outcome: SagaOutcome): Decision {
  const to = targetOf(saga.state, outcome.type);
  if (to === undefined) throw new IllegalTransitionError(saga.state, outcome.type);
  const facts = factsOf(saga, outcome);
  const data: SagaFacts = { ...saga.data, ...facts };
  const transitions: Transition[] = [{ from: saga.state, to, detail: detailOf(saga, outcome, data) }];
  let state = to;
  for (let next = targetOf(state, 'auto'); next !== undefined; next = targetOf(state, 'auto')) {
    transitions.push({ from: state, to: next, detail: next === 'COMPENSATION_EN_COURS' ? { plan: data.compensation?.plan } : {} });
    state = next;
  }
  const next = snapshotOf(state, data);
  const decision: Decision = { transitions, state, facts, command: commandOf(next) };
  if (decision.command.kind === 'compensate' && decision.command.plan.length === 0) return andThen(decision, decide(next, { type: 'Compensated' }));
  return decision;
}

/** Two decisions taken one after the other, recorded as one. */
export function andThen(first: Decision, second: Decision): Decision {
  return { ...second, transitions: [...first.transitions, ...second.transitions], facts: { ...first.facts, ...second.facts } };
}

/**
 * What to decide on instead of running the next forward step: DEADLINE_EXCEEDED once the saga has
 * outlived its deadline. This is also the whole resume policy: a saga picked up after a crash goes
 * forward (every participant call is idempotent by checkoutId, so repeating the step in flight is
 * safe) unless it is overdue, in which case it is compensated.
 */
export function overdueOutcome(saga: SagaSnapshot, deadline: Date, now: Date): SagaOutcome | undefined {
  return commandOf(saga).kind === 'run' && now.getTime() > deadline.getTime() ? DEADLINE_EXCEEDED : undefined;
}

/** The compensations after a failed step: a refused step did nothing, an unanswered one may have acted. */
function planAfterFailure(state: SagaState, transient: boolean): Compensation[] {
  const { runs, undo } = STATES[state];
  return runs === undefined ? [...undo] : compensationPlan(runs, { ownEffect: transient });
}

/** A saga read for its facts alone, whatever its state guarantees. */
interface SagaView {
  state: SagaState;
  data: SagaFacts;
}

function failureAt(state: SagaState, code: string, reason: string, details?: Record<string, unknown>): SagaFacts['failure'] {
  return { step: STATES[state].stage ?? 'stock', code, reason, ...(details !== undefined && { details }) };
}

function factsOf(saga: SagaView, outcome: SagaOutcome): Partial<SagaFacts> {
  switch (outcome.type) {
    case 'StockVerified':
      return { items: outcome.items, totalCents: outcome.totalCents };
    case 'OrderCreated':
      return { orderId: outcome.orderId, totalCents: outcome.totalCents };
    case 'StepFailed':
      return {
        failure: failureAt(saga.state, outcome.code, outcome.reason, outcome.details),
        compensation: { plan: planAfterFailure(saga.state, outcome.transient) },
      };
    case 'CompensationRequested': {
      const reopened = isTerminalSagaState(saga.state) ? { reopened: true as const } : {};
      if (saga.state === 'COMPENSATION_ECHOUEE') return { compensation: { plan: saga.data.compensation?.plan ?? [] }, ...reopened };
      return { failure: failureAt(saga.state, outcome.code, outcome.reason), compensation: { plan: [...STATES[saga.state].undo] }, ...reopened };
    }
    case 'CompensationFailed': {
      const { compensation, code, reason, tries } = outcome;
      return { compensation: { plan: saga.data.compensation?.plan ?? [], error: { compensation, code, reason, tries } } };
    }
    case 'Started':
    case 'StockReserved':
    case 'PaymentAuthorized':
    case 'OrderConfirmed':
    case 'Compensated':
      return {};
  }
}

function detailOf(saga: SagaView, outcome: SagaOutcome, data: SagaFacts): Record<string, unknown> {
  switch (outcome.type) {
    case 'StockVerified':
      return { totalCents: outcome.totalCents };
    case 'OrderCreated':
      return { orderId: outcome.orderId, totalCents: outcome.totalCents };
    case 'StepFailed':
      return { code: outcome.code, reason: outcome.reason, transient: outcome.transient };
    case 'CompensationRequested':
      return { code: outcome.code, reason: outcome.reason, plan: data.compensation?.plan };
    case 'CompensationFailed':
      return { compensation: outcome.compensation, code: outcome.code, reason: outcome.reason, tries: outcome.tries };
    case 'Compensated':
      return { compensated: saga.data.compensation?.plan ?? [] };
    case 'Started':
    case 'StockReserved':
    case 'PaymentAuthorized':
    case 'OrderConfirmed':
      return {};
  }
}
