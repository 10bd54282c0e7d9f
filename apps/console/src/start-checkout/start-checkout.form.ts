import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsUUID, Matches } from 'class-validator';
import { ID_PATTERN, MAX_ITEMS, SKU_PATTERN } from '@app/contracts';
import { FormDto } from '../web/form.dto.js';

/** The payment outcomes of the test-token convention the payments service follows. */
export const PAYMENT_TOKENS = [
  { token: 'tok_visa', label: 'authorizes' },
  { token: 'tok_chargeDeclined', label: 'declined' },
  { token: 'tok_insufficientFunds', label: 'insufficient funds' },
] as const;

export const START_STYLES = ['orchestrated', 'choreographed', 'both'] as const;

/** A repeated form field arrives as an array, a single one as a string. */
const asArray = ({ value }: { value: unknown }): unknown => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** One row per catalogue product: its SKU and the quantity asked (0 leaves it out). */
export class StartCheckoutForm extends FormDto {
  /** Drawn when the form is shown: sent as the Idempotency-Key, so a form posted twice starts one checkout. */
  @IsUUID('4', { message: 'requestId must be the UUID the form carries' }) requestId!: string;
  @IsIn(START_STYLES, { message: `style must be one of ${START_STYLES.join(', ')}` }) style!: (typeof START_STYLES)[number];
  @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' }) clientId!: string;
  @IsIn(PAYMENT_TOKENS.map((p) => p.token), { message: `token must be one of ${PAYMENT_TOKENS.map((p) => p.token).join(', ')}` }) token!: string;
  @Transform(asArray) @IsArray() @ArrayMaxSize(MAX_ITEMS) @Matches(SKU_PATTERN, { each: true, message: 'sku must be SKUs of the catalogue' }) sku!: string[];
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @Matches(/^\d{1,4}$/, { each: true, message: 'quantity must be whole numbers from 0 to 9999' })
  quantity!: string[];
}

/** The basket the form describes: the rows with a quantity above 0. */
export function basketOf(form: StartCheckoutForm): { sku: string; quantity: number }[] {
  return form.sku.map((sku, i) => ({ sku, quantity: Number(form.quantity[i] ?? 0) })).filter((line) => line.quantity > 0);
}
