import { type Compensation, type ForwardStep, compensationPlan } from '@app/checkout-steps';

/**
 * The compensations a worker runs itself after a refusal at `refusedAt`, before publishing: the
 * plan of `@app/checkout-steps` for that refusal, but the stock release, which is always left to
 * stock-compensation (it reacts to the OrderCreationFailed or OrderCancelled that closes the rest).
 *
 * | refused at       | plan                                   | run by the worker that meets it       | then                   |
 * | ---------------- | -------------------------------------- | ------------------------------------- | ---------------------- |
 * | reserveStock     | nothing                                | stock-reservation: nothing            | CheckoutFailed         |
 * | createOrder      | releaseStock                           | order-creation: nothing               | stock-compensation     |
 * | authorizePayment | cancelOrder, releaseStock              | order-compensation: cancelOrder       | stock-compensation     |
 * | confirmOrder     | voidPayment, cancelOrder, releaseStock | order-confirmation: void, cancelOrder | stock-compensation     |
 */
export function compensationsBeforeStockRelease(refusedAt: ForwardStep): Compensation[] {
  return compensationPlan(refusedAt, { ownEffect: false }).filter((c) => c !== 'releaseStock');
}
