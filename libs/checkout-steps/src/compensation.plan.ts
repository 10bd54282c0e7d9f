/** The forward steps of a checkout, in the order both styles run them. */
export const FORWARD_STEPS = ['checkAvailability', 'reserveStock', 'createOrder', 'authorizePayment', 'confirmOrder'] as const;

export type ForwardStep = (typeof FORWARD_STEPS)[number];

/** The compensations, each undoing the effect of one forward step. */
export type Compensation = 'voidPayment' | 'cancelOrder' | 'releaseStock';

/**
 * The cancellation a CONFIRMED order refuses (`ORDERS.ORDER_CONFIRMED`): the orders service takes
 * it under the same per-checkout lock as the confirmation, so exactly one of the two wins.
 */
export type ConfirmationFence = 'cancelOrderUnlessConfirmed';

/** A compensation as a plan lists it. */
export type PlannedCompensation = Compensation | ConfirmationFence;

/** What undoes each step's effect; a read or the confirmation itself has nothing to undo. */
export const COMPENSATION_OF: Readonly<Record<ForwardStep, Compensation | null>> = {
  checkAvailability: null,
  reserveStock: 'releaseStock',
  createOrder: 'cancelOrder',
  authorizePayment: 'voidPayment',
  confirmOrder: null,
};

/**
 * What to undo once a checkout stopped at `step`, in order: the compensation of every step before
 * it, latest first, and the step's own when it may have taken effect (`ownEffect`: it was in flight,
 * or failed without an answer). A step refused by its participant did nothing, so its own is left
 * out. Tombstones make each compensation safe before its step, so planning one too many is harmless
 * and planning one too few is not.
 */
export function compensationPlan(step: ForwardStep, { ownEffect }: { ownEffect: boolean }): Compensation[] {
  const reached = FORWARD_STEPS.indexOf(step) + (ownEffect ? 1 : 0);
  return FORWARD_STEPS.slice(0, reached)
    .map((s) => COMPENSATION_OF[s])
    .filter((c): c is Compensation => c !== null)
    .reverse();
}

/**
 * The plan of a checkout whose progress is not known for sure (its last events may still be on
 * their way) and whose confirmation, if it happened, stands: every step may have taken effect, and
 * the order is cancelled first, unless confirmed. That refusal means the checkout succeeded and
 * stops the plan before anything is undone; otherwise the rest of the full plan follows, latest first.
 */
export function planUnlessConfirmed(): PlannedCompensation[] {
  const rest = compensationPlan('confirmOrder', { ownEffect: true }).filter((c) => c !== 'cancelOrder');
  return ['cancelOrderUnlessConfirmed', ...rest];
}
