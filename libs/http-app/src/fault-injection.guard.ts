import { type CanActivate, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ErrorCode } from '@app/contracts';

/**
 * Chaos for load and failure tests, off by default: fails a share of calls with a 503 before they
 * have any effect (FAULT_ERROR_RATE) and delays a share of them (FAULT_DELAY_RATE, FAULT_DELAY_MS).
 * Apply it to participant controllers; health and metrics are never touched. A guard, not an
 * interceptor: it runs at the same point (after the API key, before validation and the handler), and
 * letting a call through untouched costs a function call, whereas any interceptor puts every request
 * of its routes through Nest's rxjs pipeline (measured: a fifth of the inventory's CPU per availability check).
 */
@Injectable()
export class FaultInjectionGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean | Promise<boolean> {
    const { FAULT_ERROR_RATE, FAULT_DELAY_RATE, FAULT_DELAY_MS } = this.config;
    const delayMs = FAULT_DELAY_RATE > 0 && Math.random() < FAULT_DELAY_RATE ? FAULT_DELAY_MS : 0;
    const fail = FAULT_ERROR_RATE > 0 && Math.random() < FAULT_ERROR_RATE;
    if (!fail && delayMs === 0) return true;
    return sleep(delayMs).then(() => {
      if (fail) throw new ServiceUnavailableException({ statusCode: 503, code: ErrorCode.InjectedFault, message: 'Injected fault (FAULT_ERROR_RATE)' });
      return true;
    });
  }
}
