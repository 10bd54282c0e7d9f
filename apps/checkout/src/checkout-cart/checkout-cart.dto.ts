import { Type } from 'class-transformer';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { PaymentDto } from '@app/contracts';

export const CHECKOUT_MODES = ['choreographed', 'orchestrated'] as const;
export type CheckoutMode = (typeof CHECKOUT_MODES)[number];

/** `?mode=choreographed|orchestrated` */
export class CheckoutCartQuery {
  @IsIn(CHECKOUT_MODES, { message: `mode must be one of ${CHECKOUT_MODES.join(', ')}` })
  mode!: CheckoutMode;
}

/** The cart has the items and the client; the checkout adds how to pay. */
export class CheckoutCartDto {
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentDto)
  payment!: PaymentDto;
}
