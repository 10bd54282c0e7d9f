import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, PaymentRefusedError, RuleViolationError } from '@app/contracts';

interface Reply {
  status(code: number): Reply;
  send(body: unknown): void;
}

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
 * HTTP exceptions pass through, malformed requests are 4xx, anything else is a logged 500.
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
    this.logger.error(error instanceof Error ? error.stack : String(error));
    reply.status(500).send({ statusCode: 500, message: 'Internal server error' });
  }
}
