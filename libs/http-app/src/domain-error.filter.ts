import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, PaymentRefusedError, RuleViolationError } from '@app/contracts';
import { isUnavailableDependency } from './unavailable-dependency.js';

interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): void;
}

/** Seconds a caller is asked to wait before retrying a request refused because a dependency was away. */
const RETRY_AFTER_SECONDS = '1';

function statusOf(error: DomainError): number {
  if (error instanceof NotFoundError) return HttpStatus.NOT_FOUND;
  if (error instanceof ConflictError) return HttpStatus.CONFLICT;
  if (error instanceof PaymentRefusedError) return HttpStatus.PAYMENT_REQUIRED;
  if (error instanceof RuleViolationError) return HttpStatus.UNPROCESSABLE_ENTITY;
  return HttpStatus.BAD_REQUEST;
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type) carry a statusCode. */
function clientErrorOf(error: unknown): { statusCode: number; message: string; code?: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, message, code } = error as { statusCode?: unknown; message?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { statusCode, message: String(message), ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * The one place where errors become HTTP answers: domain refusals get their status and stable code,
 * HTTP exceptions pass through, malformed requests are 4xx, a database or Redis that is away is a
 * 503 (retry later; the transaction rolled back, so nothing was half applied), anything else is a
 * logged 500.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    if (error instanceof DomainError) {
      const status = statusOf(error);
      reply.status(status).send({ statusCode: status, code: error.code, message: error.message, ...(error.details ?? {}) });
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      reply.status(error.getStatus()).send(typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
      return;
    }
    const clientError = clientErrorOf(error);
    if (clientError !== undefined) {
      reply.status(clientError.statusCode).send(clientError);
      return;
    }
    if (isUnavailableDependency(error)) {
      this.logger.warn(`Dependency unavailable, answered 503: ${(error as Error).message}`);
      reply
        .status(503)
        .header('Retry-After', RETRY_AFTER_SECONDS)
        .send({ statusCode: 503, code: 'SERVICE.UNAVAILABLE', message: 'A dependency of this service is unavailable; retry shortly' });
      return;
    }
    this.logger.error(error instanceof Error ? error.stack : String(error));
    reply.status(500).send({ statusCode: 500, message: 'Internal server error' });
  }
}
