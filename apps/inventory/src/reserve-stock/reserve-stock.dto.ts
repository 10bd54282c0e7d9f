import { IsString, Matches } from 'class-validator';
import { ID_PATTERN, LineItemsDto } from '@app/contracts';

export class ReserveStockDto extends LineItemsDto {
  @IsString() @Matches(ID_PATTERN, { message: 'checkoutId must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  checkoutId!: string;
}
