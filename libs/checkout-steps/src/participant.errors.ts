import { ConflictError, DomainError, NotFoundError, PaymentRefusedError, RuleViolationError } from '@app/contracts';

/** The services a checkout calls. */
export type ParticipantName = 'inventory' | 'orders' | 'payments';

/**
 * A participant call that kept failing for a reason worth another try (network error, timeout,
 * 5xx, open circuit) until its retries ran out. Its effect is unknown, but every participant call
 * is idempotent by checkoutId, so repeating it later, or compensating it, is safe.
 */
export class TransientStepError extends Error {
  /** `<SERVICE>.UNAVAILABLE`, stable like the participants' own codes. */
  readonly code: string;

  constructor(
    readonly service: ParticipantName,
    readonly operation: string,
    /** HTTP attempts made (0 when the circuit was open and nothing was sent). */
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${service} ${operation} unavailable after ${attempts} attempt(s): ${describe(cause)}`, { cause });
    this.name = 'TransientStepError';
    this.code = `${service.toUpperCase()}.${cause instanceof KeyRefusedError ? 'INTERNAL_KEY_REFUSED' : 'UNAVAILABLE'}`;
  }
}

/**
 * A 401 or 403: the participant does not accept our `INTERNAL_API_KEY`. That is a fault of the
 * deployment, not the participant's "no" to this checkout, so it is retried like an outage and the
 * checkout waits for the configuration to be fixed instead of failing for a business reason.
 */
export class KeyRefusedError extends Error {
  constructor(
    readonly service: ParticipantName,
    readonly status: number,
  ) {
    super(`${service} refused INTERNAL_API_KEY (HTTP ${status}): it must be one of the API_KEYS ${service} accepts`);
    this.name = 'KeyRefusedError';
  }
}

/** Statuses by which a participant refuses the caller rather than the request. */
export const isKeyRefusal = (status: number): boolean => status === 401 || status === 403;

/** Whether a step failed because a participant refuses our key (see {@link KeyRefusedError}). */
export const isKeyRefusedCode = (code: string | undefined): boolean => code?.endsWith('.INTERNAL_KEY_REFUSED') === true;

/** A 5xx, 408 or 429 answer: the attempt failed but another one may succeed. */
export class RetriableResponseError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}${codeOf(body) === undefined ? '' : ` ${codeOf(body)}`}`);
    this.name = 'RetriableResponseError';
  }
}

/** Statuses that say "try again" rather than "no". */
export const isRetriableStatus = (status: number): boolean => status >= 500 || status === 408 || status === 429;

/**
 * Turns a participant's 4xx answer into the {@link DomainError} subclass of its status, keeping the
 * participant's stable code and the rest of its body as details. An answer without a code (a
 * validation 400) gets `<SERVICE>.HTTP_<status>`. 401 and 403 never get here: see {@link KeyRefusedError}.
 */
export function refusalOf(service: ParticipantName, status: number, body: unknown): DomainError {
  const { code, message, reason, ...rest } = isRecord(body) ? body : {};
  const stableCode = typeof code === 'string' ? code : `${service.toUpperCase()}.HTTP_${status}`;
  const text = textOf(reason) ?? textOf(message) ?? `HTTP ${status} from ${service}`;
  // The status travels as the error's class; the rest of the body (shortages, skus...) as details.
  const details = Object.fromEntries(Object.entries({ ...rest, reason }).filter(([key, value]) => key !== 'statusCode' && value !== undefined));
  switch (status) {
    case 402:
      return new PaymentRefusedError(stableCode, text, details);
    case 404:
      return new NotFoundError(stableCode, text, details);
    case 409:
      return new ConflictError(stableCode, text, details);
    case 422:
      return new RuleViolationError(stableCode, text, details);
    default:
      return new DomainError(stableCode, text, details);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && value.length > 0) return value.map(String).join('; ');
  return undefined;
}

function codeOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body['code'] === 'string' ? body['code'] : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
