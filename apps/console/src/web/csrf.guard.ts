import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every POST carries the session's CSRF token (`_csrf` field or `X-CSRF-Token` header), checked by
 * @fastify/csrf-protection's own verifier; a missing or wrong token is a 403 and nothing is done.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'POST') return true;
    return new Promise((resolve, reject) => {
      // The plugin answers a refusal through reply.send; here it becomes an exception the filter renders.
      const refuse = { send: (error: Error) => reject(new ForbiddenException({ statusCode: 403, code: 'CONSOLE.CSRF_REFUSED', message: error.message })) };
      request.server.csrfProtection(request, refuse as unknown as FastifyReply, () => resolve(true));
    });
  }
}
