import { IsIn, Matches } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';

export const CHECKOUT_STYLES = ['orchestrated', 'choreographed'] as const;
export type CheckoutStyle = (typeof CHECKOUT_STYLES)[number];

/** `/checkouts/:style/:id`: an orchestrated saga by its sagaId, a choreographed checkout by its checkoutId. */
export class CheckoutParams {
  @IsIn(CHECKOUT_STYLES, { message: `style must be one of ${CHECKOUT_STYLES.join(', ')}` }) style!: CheckoutStyle;
  @Matches(ID_PATTERN, { message: 'id must be 1-100 letters, digits, dots, dashes, colons or underscores' }) id!: string;
}
