import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import { type Observable, delay, of, mergeMap } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ErrorCode } from '@app/contracts';

/**
 * Chaos for load and failure tests, off by default: fails a share of calls with a 503 before they
 * have any effect (FAULT_ERROR_RATE) and delays a share of them (FAULT_DELAY_RATE, FAULT_DELAY_MS).
 * Apply it to participant controllers; health and metrics are never touched.
 */
@Injectable()
export class FaultInjectionInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { FAULT_ERROR_RATE, FAULT_DELAY_RATE, FAULT_DELAY_MS } = this.config;
    const delayMs = FAULT_DELAY_RATE > 0 && Math.random() < FAULT_DELAY_RATE ? FAULT_DELAY_MS : 0;
    const fail = FAULT_ERROR_RATE > 0 && Math.random() < FAULT_ERROR_RATE;
    if (!fail && delayMs === 0) return next.handle();
    return of(null).pipe(
      delay(delayMs),
      mergeMap(() => {
        if (fail) throw new ServiceUnavailableException({ statusCode: 503, code: ErrorCode.InjectedFault, message: 'Injected fault (FAULT_ERROR_RATE)' });
        return next.handle();
      }),
    );
  }
}
