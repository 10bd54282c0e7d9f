import { PermanentError, RetriableError } from './delivery.errors.js';
import { decideOnFailure, defaultErrorPolicy, describeError } from './error.policy.js';

describe('error policy', () => {
  it('retries retriable and unknown errors, dead-letters permanent ones', () => {
    expect(defaultErrorPolicy(new RetriableError('timeout'))).toBe('retry');
    expect(defaultErrorPolicy(new Error('boom'))).toBe('retry');
    expect(defaultErrorPolicy({ status: 'error', message: 'Internal server error' })).toBe('retry');
    expect(defaultErrorPolicy(new PermanentError('unknown order'))).toBe('dead-letter');
  });

  it('dead-letters on the last attempt whatever the policy says', () => {
    const alwaysRetry = () => 'retry' as const;
    expect(decideOnFailure(alwaysRetry, new RetriableError('x'), 2, 3)).toBe('retry');
    expect(decideOnFailure(alwaysRetry, new RetriableError('x'), 3, 3)).toBe('dead-letter');
    expect(decideOnFailure(defaultErrorPolicy, new PermanentError('x'), 1, 3)).toBe('dead-letter');
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
