import { Inject, Injectable, type OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import { Pool } from 'undici';
import { APP_CONFIG, type AppConfig } from '@app/config';

/** An answer of the checkout-deadline worker, status and body, passed on as is. */
export interface DeadlineAnswer {
  status: number;
  body: unknown;
}

/**
 * The checkout-deadline worker over HTTP. `GET /checkout/stuck` and `POST /checkout/:id/compensate`
 * stay where clients have always called them, on this app, and are answered by the worker that
 * owns the deadline: its answers (200, 404, 409, 503) are outcomes and pass through unchanged.
 * No retry here: a compensation waits on participants with retries of its own, and is safe to repeat.
 */
@Injectable()
export class DeadlineWorkerClient implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool(config.CHECKOUT_DEADLINE_WORKER_URL, { connections: 4, keepAliveTimeout: 30_000 });
    this.headers = { 'x-api-key': config.INTERNAL_API_KEY, accept: 'application/json' };
    // A compensation makes three participant calls, each with its retries.
    this.timeoutMs = 3 * config.PARTICIPANT_TIMEOUT_MS * (config.PARTICIPANT_RETRIES + 1) + 5_000;
  }

  /**
   * @throws ServiceUnavailableException (503 `CHECKOUT.DEADLINE_WORKER_UNAVAILABLE`) when the worker cannot be reached.
   */
  async forward(method: 'GET' | 'POST', path: string): Promise<DeadlineAnswer> {
    try {
      const response = await this.pool.request({ method, path, headers: this.headers, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
      return { status: response.statusCode, body: await response.body.json() };
    } catch (error) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        code: 'CHECKOUT.DEADLINE_WORKER_UNAVAILABLE',
        message: `The checkout-deadline worker did not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }
}
