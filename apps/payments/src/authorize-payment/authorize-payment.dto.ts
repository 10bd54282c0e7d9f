import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN, SEALED_PAYMENT_TOKEN } from '@app/contracts';

/** A test-card token in clear (a direct call), or one sealed for this service by an entry point (ADR 0012). */
const TOKEN = new RegExp(`^tok_[A-Za-z0-9_]{1,60}$|${SEALED_PAYMENT_TOKEN.source}`);

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

  /** A test-card token, in clear or sealed for this checkout; see the simulated issuer for which ones decline. */
  @IsString()
  @Matches(TOKEN, { message: 'token must look like tok_visa, or be a token sealed for payments (pt1.…)' })
  token!: string;
}
