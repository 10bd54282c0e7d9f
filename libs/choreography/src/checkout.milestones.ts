import { Logger } from '@nestjs/common';
import type { AnyEvent } from '@app/contracts';
import type { EventBus } from '@app/bus';

/** A line worth logging at info level: how a checkout ended, or a compensation it went through. */
export interface Milestone {
  msg: string;
  checkoutId: string;
  pattern: 'choreographed';
  [field: string]: unknown;
}

/** The milestone an event of the choreography marks, if any (the other events are logged at debug by the transport). */
export function milestoneOf(event: AnyEvent): Milestone | undefined {
  const base = { pattern: 'choreographed' as const };
  switch (event.type) {
    case 'CheckoutSucceeded': {
      const { checkoutId, orderId } = event.payload;
      return { ...base, msg: `Checkout ${checkoutId} succeeded`, checkoutId, outcome: 'succeeded', orderId };
    }
    case 'CheckoutFailed': {
      const { checkoutId, failedStep, code, reason } = event.payload;
      return { ...base, msg: `Checkout ${checkoutId} failed at ${failedStep}: ${code}`, checkoutId, outcome: 'failed', failedStep, code, reason };
    }
    case 'OrderCancelled': {
      const { checkoutId, orderId, code } = event.payload;
      return { ...base, msg: `Checkout ${checkoutId} compensated: order ${orderId} cancelled`, checkoutId, compensation: 'cancelOrder', orderId, code };
    }
    case 'StockReleased': {
      const { checkoutId, code } = event.payload;
      return { ...base, msg: `Checkout ${checkoutId} compensated: stock released`, checkoutId, compensation: 'releaseStock', code };
    }
    default:
      return undefined;
  }
}

const logger = new Logger('checkout');

/**
 * Publishes a worker's reaction, then logs its milestones: with the default log level, the logs
 * still say how each checkout ended and what was undone. A redelivered event logs them again.
 */
export async function publishReaction(publisher: EventBus, events: readonly AnyEvent[]): Promise<void> {
  await publisher.publishMany(events);
  for (const event of events) {
    const milestone = milestoneOf(event);
    if (milestone !== undefined) logger.log(milestone);
  }
}
