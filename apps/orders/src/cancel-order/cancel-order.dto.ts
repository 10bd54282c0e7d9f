import { IsBoolean, IsOptional } from 'class-validator';

/** Optional body of `POST /orders/by-checkout/:checkoutId/cancel`. */
export class CancelCheckoutDto {
  /** Leave a CONFIRMED order alone and answer 409 `ORDERS.ORDER_CONFIRMED`. */
  @IsOptional() @IsBoolean() unlessConfirmed?: boolean;
}
