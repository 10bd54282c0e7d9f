import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';

/** The largest amount a card processor takes in one charge (Stripe: 999,999.99 in USD). */
export const MAX_AMOUNT_CENTS = 99_999_999;

export class AuthorizePaymentDto {
  @IsString()
  @Matches(ID_PATTERN, { message: 'checkoutId must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  checkoutId!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_CENTS)
  amountCents!: number;

  /** A test-card token; see the simulated issuer for which ones decline. */
  @IsString()
  @Matches(/^tok_[A-Za-z0-9_]{1,60}$/, { message: 'token must look like tok_visa' })
  token!: string;
}
