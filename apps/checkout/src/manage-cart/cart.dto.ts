import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, SKU_PATTERN } from '@app/contracts';

export class CreateCartDto {
  @IsString()
  @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  clientId!: string;
}

/** Route parameters `:id/items/:sku`. */
export class CartItemParams {
  @IsString()
  @Matches(ID_PATTERN, { message: 'id must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  id!: string;

  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, dots, dashes or underscores' })
  sku!: string;
}
