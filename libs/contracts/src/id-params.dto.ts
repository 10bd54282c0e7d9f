import { IsString, Matches } from 'class-validator';
import { ID_PATTERN } from './checkout-request.dto.js';

const message = (name: string): string => `${name} must be 1-100 letters, digits, dots, dashes, colons or underscores`;

/** Route parameter `:checkoutId`. */
export class CheckoutIdParam {
  @IsString() @Matches(ID_PATTERN, { message: message('checkoutId') }) checkoutId!: string;
}

/** Route parameter `:id`. */
export class IdParam {
  @IsString() @Matches(ID_PATTERN, { message: message('id') }) id!: string;
}
