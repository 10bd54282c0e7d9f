import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ID_PATTERN, LineItemDto, MAX_ITEMS } from '@app/contracts';

const idMessage = (name: string): string => `${name} must be 1-100 letters, digits, dots, dashes, colons or underscores`;

/** The catalog's own bound on a price, so every price the inventory can quote is accepted here. */
export const MAX_UNIT_PRICE_CENTS = 100_000_000;

export class PricedLineItemDto extends LineItemDto {
  // Zero is allowed because the catalog allows free products; a line still needs a quantity of 1 or more.
  @IsInt()
  @Min(0)
  @Max(MAX_UNIT_PRICE_CENTS)
  unitPriceCents!: number;
}

/** An order for one checkout, at the prices the inventory quoted. */
export class PlaceOrderDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage('checkoutId') })
  checkoutId!: string;

  @IsString()
  @Matches(ID_PATTERN, { message: idMessage('clientId') })
  clientId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => PricedLineItemDto)
  items!: PricedLineItemDto[];
}
