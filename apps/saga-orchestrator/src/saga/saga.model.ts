import type { Compensation, ForwardStep } from '@app/checkout-steps';
import type { CheckoutStep, LineItem, PricedLineItem, SagaState, SealedCheckoutRequest } from '@app/contracts';

export type { Compensation, ForwardStep };

/** Why a saga is being or was compensated. */
export interface SagaFailure {
  step: CheckoutStep;
  code: string;
  reason: string;
  details?: Record<string, unknown>;
}

/** A compensation that kept failing: the saga is parked until an operator retries it. */
export interface CompensationError {
  compensation: Compensation;
  code: string;
  reason: string;
  tries: number;
}

/** What a saga knows from its request on: the checkout as asked, lines merged by SKU, its card token sealed for payments. */
export interface RequestedData {
  request: SealedCheckoutRequest;
}

/** Once the availability check priced the lines. */
export interface PricedData extends RequestedData {
  items: PricedLineItem[];
  /** From the availability check, then the order's own total. */
  totalCents: number;
}

/** Once the order exists. */
export interface OrderedData extends PricedData {
  orderId: string;
}

/** Once it failed, or was asked to be undone: why, and what to undo; with what it had learned before. */
export interface CompensatingData extends RequestedData, Partial<Omit<OrderedData, keyof RequestedData>> {
  failure: SagaFailure;
  /** The compensations to run, in order, and why they stopped if they did. */
  compensation: { plan: Compensation[]; error?: CompensationError };
  /** Set when a saga that had ended (finished, or parked) is taken up again: its outcome is already known. */
  reopened?: true;
}

/** Parked: a compensation kept failing. */
export interface ParkedData extends CompensatingData {
  compensation: { plan: Compensation[]; error: CompensationError };
}

/** The facts each state guarantees: a state is entered only with them (`snapshotOf`). */
export interface SagaDataOf {
  EN_ATTENTE: RequestedData;
  VERIFICATION_STOCK: RequestedData;
  STOCK_VERIFIE: PricedData;
  RESERVATION_STOCK: PricedData;
  STOCK_RESERVE: PricedData;
  CREATION_COMMANDE: PricedData;
  COMMANDE_CREEE: OrderedData;
  AUTORISATION_PAIEMENT: OrderedData;
  PAIEMENT_AUTORISE: OrderedData;
  CONFIRMATION_COMMANDE: OrderedData;
  SAGA_TERMINEE: OrderedData;
  ECHEC_STOCK_INSUFFISANT: CompensatingData;
  ECHEC_RESERVATION_STOCK: CompensatingData;
  ECHEC_CREATION_COMMANDE: CompensatingData;
  ECHEC_PAIEMENT: CompensatingData;
  ECHEC_CONFIRMATION_COMMANDE: CompensatingData;
  COMPENSATION_EN_COURS: CompensatingData;
  SAGA_ANNULEE: CompensatingData;
  COMPENSATION_ECHOUEE: ParkedData;
}

/**
 * A saga's state and data, stored as `state` and `data` (jsonb): a union tagged by the state, so
 * narrowing on `state` tells the compiler which facts `data` holds. Each decision adds facts; none
 * is ever removed.
 */
export type SagaSnapshot = { [S in SagaState]: { state: S; data: SagaDataOf[S] } }[SagaState];

/** The data of a saga in some state. */
export type SagaData = SagaSnapshot['data'];

/** Every fact a saga may hold, none guaranteed but the request: how facts are merged and read when the state does not matter. */
export type SagaFacts = RequestedData & Partial<Omit<ParkedData, keyof RequestedData | 'compensation'>> & { compensation?: CompensatingData['compensation'] };

/** What happened when the orchestrator did something: the input of `decide`. */
export type SagaOutcome =
  | { type: 'Started' }
  | { type: 'StockVerified'; items: PricedLineItem[]; totalCents: number }
  | { type: 'StockReserved' }
  | { type: 'OrderCreated'; orderId: string; totalCents: number }
  | { type: 'PaymentAuthorized' }
  | { type: 'OrderConfirmed' }
  /** A participant refused (`transient: false`), or stayed unreachable after its retries (`true`). */
  | { type: 'StepFailed'; code: string; reason: string; transient: boolean; details?: Record<string, unknown> }
  /** An operator, or the deadline, asks to undo the saga. */
  | { type: 'CompensationRequested'; code: string; reason: string }
  | { type: 'Compensated' }
  | ({ type: 'CompensationFailed' } & CompensationError);

export type OutcomeType = SagaOutcome['type'];

/** A participant call with what it needs, taken from the facts its state guarantees. */
export type StepCall =
  | { step: 'checkAvailability'; items: LineItem[] }
  | { step: 'reserveStock'; items: LineItem[] }
  | { step: 'createOrder'; clientId: string; items: PricedLineItem[] }
  | { step: 'authorizePayment'; amountCents: number; token: string }
  | { step: 'confirmOrder'; orderId: string };

/** What the orchestrator must do next: call a participant, compensate, or nothing more. */
export type SagaCommand = ({ kind: 'run' } & StepCall) | { kind: 'compensate'; plan: Compensation[] } | { kind: 'stop' };

/** The command that calls a participant. */
export type RunCommand = Extract<SagaCommand, { kind: 'run' }>;
