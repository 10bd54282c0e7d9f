import { PermanentError, RetriableError } from './delivery.errors.js';
import { type DeliveryPolicy, describeError, redeliveryDelayMs, verdictOnFailure } from './delivery.policy.js';

const policy: DeliveryPolicy = { maxAttempts: 4, retryDelayMs: 100, maxRetryDelayMs: 300 };

describe('delivery policy', () => {
  it('delivers a RetriableError again after a delay that doubles, capped', () => {
    expect(verdictOnFailure(new RetriableError('timeout'), 1, policy)).toEqual({ kind: 'retry', afterMs: 100 });
    expect(verdictOnFailure(new RetriableError('timeout'), 2, policy)).toEqual({ kind: 'retry', afterMs: 200 });
    expect(verdictOnFailure(new RetriableError('timeout'), 3, policy)).toEqual({ kind: 'retry', afterMs: 300 });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => redeliveryDelayMs(attempt, policy))).toEqual([100, 200, 300, 300, 300, 300]);
  });

  it('dead-letters a RetriableError whose last allowed delivery failed', () => {
    expect(verdictOnFailure(new RetriableError('timeout'), 4, policy)).toEqual({ kind: 'dead-letter', why: 'attempts' });
  });

  it('dead-letters a PermanentError at once', () => {
    expect(verdictOnFailure(new PermanentError('unknown order'), 1, policy)).toEqual({ kind: 'dead-letter', why: 'permanent' });
  });

  it('dead-letters at once what nobody declared transient: plain errors and the objects Nest filters produce', () => {
    expect(verdictOnFailure(new Error('boom'), 1, policy)).toEqual({ kind: 'dead-letter', why: 'undeclared' });
    expect(verdictOnFailure({ status: 'error', message: 'Internal server error' }, 1, policy)).toEqual({ kind: 'dead-letter', why: 'undeclared' });
  });

  it('keeps the class through Nest: the exception filter gets the error itself', () => {
    const error = new PermanentError('unknown order', { cause: new Error('404') });
    expect(error.getError()).toBe(error);
    expect(error.name).toBe('PermanentError');
    expect(error.cause).toEqual(new Error('404'));
  });

  it('describes errors, strings and the plain objects Nest filters produce', () => {
    expect(describeError(new RetriableError('timeout'))).toBe('RetriableError: timeout');
    expect(describeError('boom')).toBe('boom');
    expect(describeError({ status: 'error', message: 'Internal server error' })).toBe('{"status":"error","message":"Internal server error"}');
  });
});
