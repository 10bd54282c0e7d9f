import { type CheckoutStep, DomainError } from '@app/contracts';

/** A participant said no, for a business reason: the checkout cannot go on and must be compensated. */
export interface StepRefusal {
  ok: false;
  step: CheckoutStep;
  /** The participant's stable code, e.g. `INVENTORY.INSUFFICIENT_STOCK`. */
  code: string;
  reason: string;
  details?: Record<string, unknown>;
}

/**
 * What a forward step returns: `{ ok: true, ...result }` or a {@link StepRefusal}. A transient
 * failure is not an outcome: it is thrown as a `TransientStepError`, because the effect is unknown
 * and the caller decides whether to repeat or compensate.
 */
export type StepOutcome<T extends object> = ({ ok: true } & T) | StepRefusal;

export function refused(step: CheckoutStep, code: string, reason: string, details?: Record<string, unknown>): StepRefusal {
  return { ok: false, step, code, reason, ...(details !== undefined && Object.keys(details).length > 0 && { details }) };
}

/** Runs a participant call, turning its refusal (a {@link DomainError}) into a {@link StepRefusal}. */
export async function refusalAware<T extends object>(step: CheckoutStep, call: () => Promise<T>): Promise<StepOutcome<T>> {
  try {
    return { ok: true, ...(await call()) };
  } catch (error) {
    if (error instanceof DomainError) return refused(step, error.code, error.message, error.details);
    throw error;
  }
}
