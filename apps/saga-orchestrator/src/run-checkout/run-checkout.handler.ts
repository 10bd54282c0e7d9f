import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { type CheckoutRequestDto, isSameCheckoutRequest, mergeLineItems } from '@app/contracts';
import { checkoutMetrics } from '@app/observability';
import { idempotencyKeyReused } from '../saga/saga.errors.js';
import { isTerminal } from '../saga/saga.machine.js';
import type { SagaRecord } from '../saga/saga.mapper.js';
import { SagaRunner } from '../saga/saga.runner.js';

/**
 * Runs a checkout as an orchestrated saga and returns it once it stopped. With an idempotency key
 * already used, returns that first saga (waiting for it to finish) and creates nothing.
 */
@Injectable()
export class RunCheckoutHandler {
  private readonly metrics = checkoutMetrics();

  constructor(private readonly runner: SagaRunner) {}

  async execute(body: CheckoutRequestDto, idempotencyKey: string | undefined): Promise<SagaRecord> {
    const started = performance.now();
    const request = { clientId: body.clientId, items: mergeLineItems(body.items), payment: { token: body.payment.token } };
    const { saga, created } = await this.runner.start(request, idempotencyKey ?? null);
    if (!created) {
      if (!isSameCheckoutRequest(saga.data.request, saga.checkoutId, request)) throw idempotencyKeyReused(idempotencyKey ?? '', saga.id);
      return this.runner.awaitTerminal(saga.id);
    }
    const ran = await this.runner.drive(saga);
    // Taken over midway (a forced compensation): answer with how it ends.
    const done = isTerminal(ran.state) ? ran : await this.runner.awaitTerminal(ran.id);
    if (isTerminal(done.state)) {
      const outcome = done.state === 'SAGA_TERMINEE' ? 'succeeded' : 'failed';
      this.metrics.duration.observe({ pattern: 'orchestrated', outcome }, (performance.now() - started) / 1_000);
    }
    return done;
  }
}
