import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SKU_PATTERN } from '@app/contracts';

const skuMessage = 'sku must be 1-64 letters, digits, dots, dashes or underscores';

export class SkuParam {
  @IsString() @Matches(SKU_PATTERN, { message: skuMessage }) sku!: string;
}

/** Creates a product or replaces its name, price and stock level. */
export class UpsertProductDto {
  @IsString() @Matches(SKU_PATTERN, { message: skuMessage }) sku!: string;
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @IsInt() @Min(0) @Max(100_000_000) priceCents!: number;
  /** Units available for new reservations. */
  @IsInt() @Min(0) @Max(100_000_000) stock!: number;
}
