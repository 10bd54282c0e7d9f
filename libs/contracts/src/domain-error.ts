/**
 * A business refusal with a stable code. Thrown by handlers and participant clients; only HTTP
 * controllers and exception filters turn it into a status code.
 */
export class DomainError extends Error {
  constructor(
    /** A stable code, usually one of `ErrorCode` (participants may add their own). */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The resource asked for does not exist (maps to 404). */
export class NotFoundError extends DomainError {}

/** The request conflicts with the current state (maps to 409). */
export class ConflictError extends DomainError {}

/** The request is well formed but refused by a business rule (maps to 422). */
export class RuleViolationError extends DomainError {}

/** A payment refusal (maps to 402). */
export class PaymentRefusedError extends DomainError {}
