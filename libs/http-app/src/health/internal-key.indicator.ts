import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { request } from 'undici';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { Callee } from './health.options.js';

const TIMEOUT_MS = 1_000;

/**
 * Asks a service this app calls whether it accepts our `INTERNAL_API_KEY` (`GET /health/key`). A
 * refusal makes the app not ready, since every checkout would stop at that service. A service
 * that does not answer is its own health's business: reported, but not held against this app.
 */
@Injectable()
export class InternalKeyHealthIndicator {
  private readonly urls: Record<Callee, string>;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.urls = {
      inventory: config.INVENTORY_URL,
      orders: config.ORDERS_URL,
      payments: config.PAYMENTS_URL,
      'saga-orchestrator': config.SAGA_ORCHESTRATOR_URL,
    };
  }

  async isAccepted(callee: Callee) {
    const indicator = this.indicators.check(`${callee}-key`);
    let status: number;
    try {
      const url = new URL('health/key', this.urls[callee].replace(/\/*$/, '/'));
      const response = await request(url, { headers: { 'x-api-key': this.config.INTERNAL_API_KEY }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await response.body.dump();
      status = response.statusCode;
    } catch (error) {
      return indicator.up({ reachable: false, message: error instanceof Error ? error.message : String(error) });
    }
    if (status === 401 || status === 403) {
      return indicator.down({
        message: `${callee} refuses INTERNAL_API_KEY (HTTP ${status}): set INTERNAL_API_KEY to one of the API_KEYS ${callee} accepts`,
      });
    }
    return indicator.up();
  }
}
