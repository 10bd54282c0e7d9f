import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** SKUs are short codes: letters, digits, dots, dashes, underscores. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Client ids and checkout ids share this shape, which keeps them safe in keys, URLs and logs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const MAX_QUANTITY = 1_000;
export const MAX_ITEMS = 100;

/** One line of a checkout, a cart or a reservation. */
export class LineItemDto {
  @IsString()
  @MaxLength(64)
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, dots, dashes or underscores' })
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

/** A non-empty, bounded list of line items. */
export class LineItemsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => LineItemDto)
  items!: LineItemDto[];
}

export class PaymentDto {
  @IsString()
  @Matches(/^tok_[A-Za-z0-9_]{1,60}$/, { message: 'payment.token must look like tok_visa' })
  token!: string;
}

/** The body that starts a checkout, in either style. */
export class CheckoutRequestDto extends LineItemsDto {
  @IsString()
  @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  clientId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => PaymentDto)
  payment!: PaymentDto;
}
