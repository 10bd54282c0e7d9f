import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '@app/http-app';

/** Thrown when a page needs a signed-in person; the error filter sends a page request to the sign-in form. */
export class SignInRequired extends UnauthorizedException {
  constructor() {
    super({ statusCode: 401, code: 'CONSOLE.SIGN_IN_REQUIRED', message: 'Sign in with an API key first' });
  }
}

/** Every route not marked `@Public()` (sign-in, health, metrics) needs an API key in the session. */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.session.apiKey === undefined) throw new SignInRequired();
    return true;
  }
}

/** The signed-in person's API key (the guard has checked there is one). */
export const ApiKey = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const key = context.switchToHttp().getRequest<FastifyRequest>().session.apiKey;
  if (key === undefined) throw new SignInRequired();
  return key;
});
