import type { Compensation, ForwardStep } from '@app/checkout-steps';
import type { CheckoutRequest, CheckoutStep, PricedLineItem } from '@app/contracts';

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

/** What the saga knows, stored as `data` (jsonb). Each decision adds facts; none is ever removed. */
export interface SagaData {
  /** The checkout as asked, lines merged by SKU. */
  request: CheckoutRequest;
  /** Priced by the availability check. */
  items?: PricedLineItem[];
  /** From the availability check, then the order's own total. */
  totalCents?: number;
  orderId?: string;
  failure?: SagaFailure;
  /** The compensations to run, in order, and why they stopped if they did. */
  compensation?: { plan: Compensation[]; error?: CompensationError };
}

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

/** What the orchestrator must do next: call a participant, compensate, or nothing more. */
export type SagaCommand = { kind: 'run'; step: ForwardStep } | { kind: 'compensate'; plan: Compensation[] } | { kind: 'stop' };
