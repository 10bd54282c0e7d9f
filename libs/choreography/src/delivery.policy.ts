import { TransientStepError } from '@app/checkout-steps';
import { RetriableError } from '@app/redis-streams';

/**
 * Runs a worker's participant calls. A participant that stayed unavailable after the client's own
 * retries (network error, timeout, 5xx, open circuit) leaves the effect unknown, so the event is
 * left pending to be delivered again ({@link RetriableError}) rather than answered: every call is
 * idempotent by checkoutId, so the next delivery repeats it safely. Refusals are outcomes and never
 * arrive here as errors; anything else is a defect, dead-lettered at once by the transport.
 */
export async function redeliverIfUnavailable<T>(calls: () => Promise<T>): Promise<T> {
  try {
    return await calls();
  } catch (error) {
    if (error instanceof TransientStepError) throw new RetriableError(error.message, { cause: error });
    throw error;
  }
}
