import { TransientStepError } from '@app/checkout-steps';
import { ConflictError, ErrorCode } from '@app/contracts';
import { RetriableError, verdictOnFailure } from '@app/redis-streams';
import { redeliverIfUnavailable } from './delivery.policy.js';

describe('redeliverIfUnavailable', () => {
  it('answers what the calls returned, refusals included', async () => {
    const refusal = { ok: false, step: 'payment', code: ErrorCode.CardDeclined, reason: 'declined' } as const;
    await expect(redeliverIfUnavailable(() => Promise.resolve(refusal))).resolves.toBe(refusal);
  });

  it('leaves the event pending for another delivery when a participant stayed unavailable', async () => {
    const unavailable = new TransientStepError('payments', 'authorizePayment', 4, new Error('ECONNREFUSED'));
    const error: unknown = await redeliverIfUnavailable(() => Promise.reject(unavailable)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableError);
    expect(error).toMatchObject({ message: unavailable.message, cause: unavailable });
    expect(verdictOnFailure(error, 1, { maxAttempts: 2, retryDelayMs: 10, maxRetryDelayMs: 10 })).toEqual({ kind: 'retry', afterMs: 10 });
  });

  it('lets any other failure through untouched', async () => {
    const defect = new ConflictError(ErrorCode.ReservationConfirmed, 'not a refusal of a step');
    await expect(redeliverIfUnavailable(() => Promise.reject(defect))).rejects.toBe(defect);
  });
});
