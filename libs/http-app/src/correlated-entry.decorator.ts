import { randomUUID } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, UseInterceptors, applyDecorators } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { currentCorrelationId, withCorrelation } from '@app/observability';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Where a checkout enters the system, the request always has a correlation id: the caller's
 * `X-Correlation-Id` (already in force, see `createFastifyAdapter`) or a new one. Either way it is
 * returned in `X-Correlation-Id`, so a client can quote it, and it is on the request's log lines.
 */
@Injectable()
export class CorrelatedEntryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const given = currentCorrelationId();
    const correlationId = given ?? randomUUID();
    void http.getResponse<FastifyReply>().header(CORRELATION_HEADER, correlationId);
    if (given !== undefined) return next.handle();
    // The request line, logged once the answer is sent, reads the id from the request's headers.
    http.getRequest<FastifyRequest>().headers[CORRELATION_HEADER] = correlationId;
    // The handler runs when the answer is subscribed to: subscribing inside the context makes the
    // whole handler, across its awaits, log with the id.
    return new Observable((subscriber) => withCorrelation(correlationId, () => next.handle().subscribe(subscriber)));
  }
}

/** Marks a route where a checkout enters the system: see {@link CorrelatedEntryInterceptor}. */
export const CorrelatedEntry = (): MethodDecorator => applyDecorators(UseInterceptors(CorrelatedEntryInterceptor));
