import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, ErrorCode } from '@app/contracts';
import { InventoryClient, OrdersClient, PaymentsClient, cancelOrder, releaseStock, voidPayment } from '@app/checkout-steps';
import type { AcceptedCheckout, CompensationRecord } from '../checkout/accepted-checkout.mapper.js';
import { checkoutAlreadyEnded, checkoutNotFound } from '../checkout/checkout.errors.js';
import { CheckoutRepository } from '../checkout/checkout.repository.js';
import { CHECKOUT_SETTINGS, type CheckoutSettings } from '../checkout.settings.js';
import { CheckoutOutboxRelay } from '../publish-events/checkout-outbox.relay.js';
import { CheckoutViewReader } from '../query-status/checkout-view.reader.js';
import { confirmedAtDeadlineEvents, deadlineCompensationEvents, stuckStepOf } from './deadline-compensation.events.js';
import { compensationMetrics } from './compensation.metrics.js';

/** How a compensation ended: done (now or before), or refused because the order is confirmed. */
export type CompensationOutcome =
  | { outcome: 'compensated'; checkoutId: string; compensatedAt: Date; compensation: CompensationRecord }
  | { outcome: 'refused'; checkoutId: string; code: string; reason: string };

/**
 * Drives a stuck choreographed checkout to its end: cancels its order unless it is confirmed, voids
 * its payment, releases its stock (all idempotent, each leaving a tombstone that refuses a late
 * step), then records the compensation and queues its events in one transaction. The checkout's row
 * stays locked throughout, so one instance compensates it at a time and a repeat answers the same.
 * A confirmed order means the checkout in fact succeeded: nothing is undone, and its missing
 * OrderConfirmed and CheckoutSucceeded are queued so it ends as what it is.
 * @throws TransientStepError a participant stayed unreachable; nothing was recorded and a repeat is safe.
 */
@Injectable()
export class CompensateCheckoutHandler {
  private readonly metrics = compensationMetrics();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly checkouts: CheckoutRepository,
    private readonly views: CheckoutViewReader,
    private readonly orders: OrdersClient,
    private readonly payments: PaymentsClient,
    private readonly inventory: InventoryClient,
    private readonly relay: CheckoutOutboxRelay,
    @Inject(CHECKOUT_SETTINGS) private readonly settings: CheckoutSettings,
  ) {}

  async execute(checkoutId: string): Promise<CompensationOutcome> {
    const outcome = await this.db.transaction(async (tx) => {
      const checkout = await this.checkouts.lock(tx, checkoutId);
      if (checkout === undefined) throw checkoutNotFound(checkoutId);
      if (checkout.compensation !== undefined && checkout.compensatedAt !== undefined)
        return compensated(checkout, checkout.compensation, checkout.compensatedAt);
      return this.compensate(tx, checkout);
    });
    if (outcome.outcome === 'refused') await this.checkouts.recordRefusal(checkoutId, outcome.code);
    this.relay.nudge();
    return outcome;
  }

  private async compensate(tx: EntityManager, checkout: AcceptedCheckout): Promise<CompensationOutcome> {
    const { checkoutId } = checkout;
    const view = await this.views.viewOf(checkoutId);
    if (view !== undefined && view.status !== 'PENDING') throw checkoutAlreadyEnded(checkoutId, view.status);
    const failedStep = stuckStepOf(view?.lastEventType);
    const ageMs = Date.now() - checkout.acceptedAt.getTime();
    const reason = `No terminal event ${ageMs} ms after the checkout was accepted (deadline ${this.settings.deadlineMs} ms); stuck after ${view?.lastEventType ?? 'CheckoutInitiated'}`;
    let cancelled;
    try {
      cancelled = await cancelOrder(this.orders, checkoutId, { unlessConfirmed: true });
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === ErrorCode.OrderConfirmed)) throw error;
      const orderId = error.details?.['orderId'] ?? view?.orderId;
      if (typeof orderId === 'string' && view?.totalCents !== undefined) {
        const { clientId, initiatedEventId } = checkout;
        await this.checkouts.queue(tx, confirmedAtDeadlineEvents({ checkoutId, clientId, initiatedEventId, orderId, totalCents: view.totalCents }));
      }
      return { outcome: 'refused', checkoutId, code: error.code, reason: error.message };
    }
    await voidPayment(this.payments, checkoutId);
    await releaseStock(this.inventory, checkoutId);
    const orderId = 'orderId' in cancelled ? cancelled.orderId : undefined;
    const envelopes = deadlineCompensationEvents({
      checkoutId,
      clientId: checkout.clientId,
      initiatedEventId: checkout.initiatedEventId,
      failedStep,
      reason,
      orderId,
    });
    const record: CompensationRecord = {
      failedStep,
      code: ErrorCode.CheckoutDeadlineExceeded,
      reason,
      ...(orderId !== undefined && { orderId }),
      eventIds: envelopes.map((e) => e.eventId),
    };
    const at = await this.checkouts.recordCompensation(tx, checkoutId, record, envelopes);
    this.metrics.compensated.inc({ step: failedStep });
    return compensated(checkout, record, at);
  }
}

function compensated(checkout: AcceptedCheckout, compensation: CompensationRecord, at: Date): CompensationOutcome {
  return { outcome: 'compensated', checkoutId: checkout.checkoutId, compensatedAt: at, compensation };
}
