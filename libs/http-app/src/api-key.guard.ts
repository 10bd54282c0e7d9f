import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, apiKeysOf } from '@app/config';
import { IS_PUBLIC } from './public.decorator.js';

/** Requires a configured key in `X-API-Key` on every route not marked {@link Public}. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = apiKeysOf(config);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') throw new UnauthorizedException('Missing X-API-Key header');
    if (!this.keys.has(key)) throw new UnauthorizedException('Invalid API key');
    return true;
  }
}
