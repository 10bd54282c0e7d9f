import type { OnApplicationShutdown } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { Pool } from 'undici';
import type { AppConfig } from '@app/config';
import type { CheckoutRequest } from '@app/contracts';
import { currentCorrelationId } from '@app/observability';

/** The orchestrator's answer to a checkout: 201 SAGA_TERMINEE, 409 compensated, 202 still running elsewhere. */
export interface SagaAnswer {
  status: number;
  body: { sagaId: string; checkoutId: string; state: string } & Record<string, unknown>;
}

/** The orchestrator could not be reached, or kept failing, after the retries. */
export class SagaOrchestratorUnavailableError extends Error {
  readonly code = 'SAGA.UNAVAILABLE';

  constructor(operation: string, cause: unknown) {
    super(`saga-orchestrator ${operation} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SagaOrchestratorUnavailableError';
  }
}

/** A 5xx answer: worth another try. */
class RetriableAnswer extends Error {}

/**
 * The saga orchestrator over HTTP, on a keep-alive pool. Unlike a participant client, it passes the
 * orchestrator's answer through with its status (201, 202 and 409 are all outcomes), and a checkout
 * call waits as long as a saga may run. Retrying is safe: every checkout carries an Idempotency-Key.
 */
export class SagaOrchestratorClient implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;
  private readonly answerTimeoutMs: number;
  private readonly policy;

  constructor(config: AppConfig) {
    this.pool = new Pool(config.SAGA_ORCHESTRATOR_URL, { connections: 32, keepAliveTimeout: 30_000 });
    this.headers = { 'x-api-key': config.INTERNAL_API_KEY, accept: 'application/json' };
    // The orchestrator answers a checkout within its own saga deadline.
    this.answerTimeoutMs = config.SAGA_DEADLINE_MS + config.PARTICIPANT_TIMEOUT_MS;
    this.policy = retry(
      handleWhen((error) => !(error instanceof SyntaxError)),
      { maxAttempts: config.PARTICIPANT_RETRIES, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) },
    );
  }

  /** Runs (or, with a used key, returns) the saga of a checkout. */
  checkout(request: CheckoutRequest, idempotencyKey: string): Promise<SagaAnswer> {
    return this.call(
      'checkout',
      'POST',
      '/api/saga/checkout',
      { ...this.headers, 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...correlationHeader() },
      request,
    );
  }

  /** The saga as `GET /api/saga/:id/status` shows it. */
  status(sagaId: string): Promise<SagaAnswer> {
    return this.call('status', 'GET', `/api/saga/${encodeURIComponent(sagaId)}/status`, this.headers);
  }

  /** Forces the compensation of a saga (`POST /api/saga/:id/compensate`). */
  compensate(sagaId: string): Promise<SagaAnswer> {
    return this.call('compensate', 'POST', `/api/saga/${encodeURIComponent(sagaId)}/compensate`, this.headers);
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }

  private async call(operation: string, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<SagaAnswer> {
    try {
      return await this.policy.execute(async () => {
        const response = await this.pool.request({
          method,
          path,
          headers,
          body: body === undefined ? null : JSON.stringify(body),
          headersTimeout: this.answerTimeoutMs,
          bodyTimeout: this.answerTimeoutMs,
        });
        const text = await response.body.text();
        if (response.statusCode >= 500) throw new RetriableAnswer(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
        return { status: response.statusCode, body: JSON.parse(text) as SagaAnswer['body'] };
      });
    } catch (error) {
      throw new SagaOrchestratorUnavailableError(operation, error);
    }
  }
}

/** The cart's checkout goes on in the orchestrator under the same correlation id. */
function correlationHeader(): Record<string, string> {
  const correlationId = currentCorrelationId();
  return correlationId === undefined ? {} : { 'x-correlation-id': correlationId };
}
