import { PermanentError } from './delivery.errors.js';

/** What happens to an entry whose handler failed. */
export type ErrorDecision = 'retry' | 'dead-letter';

/**
 * Decides, from the error a handler failed with, whether its entry stays pending for redelivery
 * (bounded by `maxAttempts`) or goes to the dead-letter stream at once.
 */
export type ErrorPolicy = (error: unknown) => ErrorDecision;

/** {@link PermanentError} dead-letters at once; `RetriableError` and any unknown error are retried. */
export const defaultErrorPolicy: ErrorPolicy = (error) => (error instanceof PermanentError ? 'dead-letter' : 'retry');

/** Applies the policy and the attempt bound: the last allowed attempt dead-letters whatever the policy says. */
export function decideOnFailure(policy: ErrorPolicy, error: unknown, attempt: number, maxAttempts: number): ErrorDecision {
  if (attempt >= maxAttempts) return 'dead-letter';
  return policy(error);
}

/** A one-line description of anything a handler may throw (Nest filters turn errors into plain objects). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
