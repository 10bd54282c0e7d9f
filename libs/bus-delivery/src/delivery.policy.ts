import { PermanentError, RetriableError } from './delivery.errors.js';

/**
 * The transport's delivery policy: how many deliveries an entry gets, and how long a failed one
 * waits before the next. What is retried is not a setting: {@link verdictOnFailure} decides it
 * from the error's class.
 */
export interface DeliveryPolicy {
  /** Deliveries of an entry before it is dead-lettered (`STREAM_MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** Wait before the second delivery; it doubles for each further one (`STREAM_RETRY_DELAY_MS`). */
  retryDelayMs: number;
  /** The longest wait between two deliveries (`STREAM_RETRY_MAX_DELAY_MS`). */
  maxRetryDelayMs: number;
}

/** What becomes of an entry whose handler failed. */
export type FailureVerdict = { kind: 'retry'; afterMs: number } | { kind: 'dead-letter'; why: 'permanent' | 'undeclared' | 'attempts' };

/** The wait after failed delivery number `attempt` (1 for the first): doubling from `retryDelayMs`, capped. */
export function redeliveryDelayMs(attempt: number, policy: Pick<DeliveryPolicy, 'retryDelayMs' | 'maxRetryDelayMs'>): number {
  return Math.min(policy.maxRetryDelayMs, policy.retryDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * What a failed delivery leads to, the one place that says so:
 * - a {@link RetriableError} (a participant or a store briefly away) is delivered again after its
 *   backoff delay, until delivery number `maxAttempts` fails too, which is dead-lettered;
 * - a {@link PermanentError} is dead-lettered at once;
 * - anything else is dead-lettered at once: nobody declared it transient, so it is a defect or a
 *   case nobody foresaw, and running the same code on the same event again would only delay the
 *   moment an operator sees it. The dead-letter stream keeps it with its error, for a redrive once
 *   the cause is fixed.
 */
export function verdictOnFailure(error: unknown, attempt: number, policy: DeliveryPolicy): FailureVerdict {
  if (error instanceof PermanentError) return { kind: 'dead-letter', why: 'permanent' };
  if (!(error instanceof RetriableError)) return { kind: 'dead-letter', why: 'undeclared' };
  if (attempt >= policy.maxAttempts) return { kind: 'dead-letter', why: 'attempts' };
  return { kind: 'retry', afterMs: redeliveryDelayMs(attempt, policy) };
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
