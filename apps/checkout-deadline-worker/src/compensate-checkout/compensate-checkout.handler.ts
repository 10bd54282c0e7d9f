import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConstantBackoff, handleType, retry, type RetryPolicy } from 'cockatiel';
import { ConflictError, ErrorCode } from '@app/contracts';
import { InventoryClient, OrdersClient, PaymentsClient, planUnlessConfirmed, runPlan } from '@app/checkout-steps';
import { DEADLINE_SETTINGS, type DeadlineSettings } from '../checkout-deadline.settings.js';
import { DeadlineOutboxRelay } from '../publish-events/deadline-outbox.relay.js';
import { CompensationClaimsRepository } from './compensation-claims.repository.js';
import { ClaimHeldError, checkoutAlreadyEnded, checkoutNotWatched } from './compensation.errors.js';
import { compensationMetrics } from './compensation.metrics.js';
import { confirmedAtDeadlineEvents, deadlineCompensationEvents, stuckStepOf } from './deadline-compensation.events.js';
import type { CompensationRecord, WatchedCheckout } from './watched-checkout.mapper.js';

/** How a compensation ended: done (now or before), or refused because the order is confirmed. */
export type CompensationOutcome =
  | { outcome: 'compensated'; checkoutId: string; compensatedAt: Date; compensation: CompensationRecord }
  | { outcome: 'refused'; checkoutId: string; code: string; reason: string };

/**
 * Drives a stuck choreographed checkout to its end with the plan of `@app/checkout-steps` for a
 * checkout whose confirmation stands: cancel its order unless confirmed, void its payment, release
 * its stock (each idempotent, each leaving a tombstone that refuses a late step), then record the
 * compensation and queue its events. Claim, call, record: no transaction or lock is open while a
 * participant is called. An instance that finds the checkout claimed waits for that claim's outcome
 * (or its lapse), so concurrent requests answer the same. A confirmed order means the checkout in
 * fact succeeded: nothing is undone, and its missing OrderConfirmed and CheckoutSucceeded are queued.
 * @throws TransientStepError a participant stayed unreachable; nothing was recorded and a repeat is safe.
 */
@Injectable()
export class CompensateCheckoutHandler {
  private readonly metrics = compensationMetrics();
  private readonly owner = `compensator-${randomUUID()}`;
  private readonly waitForClaim: RetryPolicy;

  constructor(
    private readonly claims: CompensationClaimsRepository,
    readonly inventory: InventoryClient,
    readonly orders: OrdersClient,
    readonly payments: PaymentsClient,
    private readonly relay: DeadlineOutboxRelay,
    @Inject(DEADLINE_SETTINGS) private readonly settings: DeadlineSettings,
  ) {
    this.waitForClaim = retry(handleType(ClaimHeldError), {
      maxAttempts: Math.ceil(settings.claimMs / settings.claimPollMs) + 1,
      backoff: new ConstantBackoff(settings.claimPollMs),
    });
  }

  execute(checkoutId: string): Promise<CompensationOutcome> {
    return this.waitForClaim.execute(() => this.attempt(checkoutId));
  }

  private async attempt(checkoutId: string): Promise<CompensationOutcome> {
    const claim = await this.claims.claim(checkoutId, this.owner, this.settings.claimMs);
    switch (claim.kind) {
      case 'unknown':
        throw checkoutNotWatched(checkoutId);
      case 'held':
        throw new ClaimHeldError(checkoutId);
      case 'compensated':
        return compensated(checkoutId, claim.checkout.compensation, claim.checkout.compensatedAt);
      case 'claimed':
        try {
          return await this.compensate(claim.checkout);
        } catch (error) {
          await this.claims.release(checkoutId, this.owner);
          throw error;
        }
    }
  }

  private async compensate(checkout: WatchedCheckout): Promise<CompensationOutcome> {
    const { checkoutId, view } = checkout;
    if (view !== undefined && view.status !== 'PENDING') throw checkoutAlreadyEnded(checkoutId, view.status);
    const failedStep = stuckStepOf(view?.lastEventType);
    const ageMs = Date.now() - checkout.acceptedAt.getTime();
    const reason = `No terminal event ${ageMs} ms after the checkout was accepted (deadline ${this.settings.deadlineMs} ms); stuck after ${view?.lastEventType ?? 'CheckoutInitiated'}`;
    // The events consumed so far may trail the participants (a step's event still on its way), so
    // the plan assumes every step may have taken effect.
    const plan = planUnlessConfirmed();
    let answers: unknown[];
    try {
      answers = await runPlan(this, plan, checkoutId);
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === ErrorCode.OrderConfirmed)) throw error;
      const orderId = error.details?.['orderId'] ?? view?.orderId;
      const { clientId, initiatedEventId } = checkout;
      const lost =
        typeof orderId === 'string' && view?.totalCents !== undefined
          ? confirmedAtDeadlineEvents({ checkoutId, clientId, initiatedEventId, orderId, totalCents: view.totalCents })
          : [];
      await this.claims.recordRefusal(checkoutId, this.owner, error.code, lost);
      this.relay.nudge();
      return { outcome: 'refused', checkoutId, code: error.code, reason: error.message };
    }
    const orderId = orderIdOf(answers[plan.indexOf('cancelOrderUnlessConfirmed')]);
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
    const recorded = await this.claims.recordCompensation(checkoutId, record, envelopes);
    this.relay.nudge();
    if (recorded.fresh) this.metrics.compensated.inc({ step: failedStep });
    return compensated(checkoutId, recorded.record, recorded.at);
  }
}

/** The order a cancellation answered with: none when it left a tombstone before any order existed. */
function orderIdOf(cancelled: unknown): string | undefined {
  const orderId = (cancelled as { orderId?: unknown } | undefined)?.orderId;
  return typeof orderId === 'string' ? orderId : undefined;
}

function compensated(checkoutId: string, compensation: CompensationRecord, at: Date): CompensationOutcome {
  return { outcome: 'compensated', checkoutId, compensatedAt: at, compensation };
}
