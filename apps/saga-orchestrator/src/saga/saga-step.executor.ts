import { Inject, Injectable } from '@nestjs/common';
import { ExponentialBackoff, handleType, retry, type RetryPolicy } from 'cockatiel';
import { DomainError } from '@app/contracts';
import {
  InventoryClient,
  OrdersClient,
  PaymentsClient,
  type StepOutcome,
  TransientStepError,
  authorizePayment,
  checkAvailability,
  compensate,
  confirmOrder,
  createOrder,
  reserveStock,
} from '@app/checkout-steps';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';
import type { Compensation, RunCommand, SagaCommand, SagaOutcome } from './saga.model.js';

/**
 * Carries out the saga's commands with the shared checkout steps and turns what happened into an
 * outcome for `decide`: a result, a refusal, or (after the client's own retries) unavailability.
 */
@Injectable()
export class SagaStepExecutor {
  private readonly compensationRetry: RetryPolicy;

  constructor(
    private readonly inventory: InventoryClient,
    private readonly orders: OrdersClient,
    private readonly payments: PaymentsClient,
    @Inject(SAGA_SETTINGS) settings: SagaSettings,
  ) {
    const { initialDelayMs, maxDelayMs } = settings.compensationBackoff;
    this.compensationRetry = retry(handleType(TransientStepError), {
      maxAttempts: settings.compensationRetries,
      backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
    });
  }

  /** Carries out `command` for the checkout `checkoutId`; a run command brings what its call needs. */
  execute(command: Exclude<SagaCommand, { kind: 'stop' }>, checkoutId: string): Promise<SagaOutcome> {
    return command.kind === 'run' ? this.run(command, checkoutId) : this.compensate(command.plan, checkoutId);
  }

  private async run(command: RunCommand, checkoutId: string): Promise<SagaOutcome> {
    try {
      return await this.call(command, checkoutId);
    } catch (error) {
      if (error instanceof TransientStepError) return { type: 'StepFailed', code: error.code, reason: error.message, transient: true };
      throw error;
    }
  }

  private async call(command: RunCommand, checkoutId: string): Promise<SagaOutcome> {
    switch (command.step) {
      case 'checkAvailability':
        return outcomeOf(await checkAvailability(this.inventory, command.items), (r) => ({
          type: 'StockVerified',
          items: r.items,
          totalCents: r.totalCents,
        }));
      case 'reserveStock':
        return outcomeOf(await reserveStock(this.inventory, checkoutId, command.items), () => ({ type: 'StockReserved' }));
      case 'createOrder': {
        const order = { checkoutId, clientId: command.clientId, items: command.items };
        return outcomeOf(await createOrder(this.orders, order), (r) => ({ type: 'OrderCreated', orderId: r.order.orderId, totalCents: r.order.totalCents }));
      }
      case 'authorizePayment': {
        const payment = { checkoutId, amountCents: command.amountCents, token: command.token };
        return outcomeOf(await authorizePayment(this.payments, payment), () => ({ type: 'PaymentAuthorized' }));
      }
      case 'confirmOrder': {
        const ids = { checkoutId, orderId: command.orderId };
        return outcomeOf(await confirmOrder({ inventory: this.inventory, orders: this.orders }, ids), () => ({ type: 'OrderConfirmed' }));
      }
    }
  }

  /**
   * Runs the compensations in order. One failing transiently is retried with backoff; one refused,
   * or still failing after the retries, stops the rest: the saga is then parked, and a later retry
   * runs the whole plan again (every compensation is idempotent).
   */
  private async compensate(plan: readonly Compensation[], checkoutId: string): Promise<SagaOutcome> {
    for (const compensation of plan) {
      let tries = 0;
      try {
        await this.compensationRetry.execute(() => {
          tries += 1;
          return compensate({ inventory: this.inventory, orders: this.orders, payments: this.payments }, compensation, checkoutId);
        });
      } catch (error) {
        if (!(error instanceof TransientStepError || error instanceof DomainError)) throw error;
        return { type: 'CompensationFailed', compensation, code: error.code, reason: error.message, tries };
      }
    }
    return { type: 'Compensated' };
  }
}

function outcomeOf<T extends object>(outcome: StepOutcome<T>, success: (result: T) => SagaOutcome): SagaOutcome {
  if (outcome.ok) return success(outcome);
  return {
    type: 'StepFailed',
    code: outcome.code,
    reason: outcome.reason,
    transient: false,
    ...(outcome.details !== undefined && { details: outcome.details }),
  };
}
