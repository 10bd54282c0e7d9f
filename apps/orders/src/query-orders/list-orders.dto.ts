import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';

const idMessage = (name: string): string => `${name} must be 1-100 letters, digits, dots, dashes, colons or underscores`;

export const MAX_LIST_LIMIT = 100;

/** `GET /orders?clientId=&checkoutId=&limit=`: at least one filter, so a list is never the whole table. */
export class ListOrdersQuery {
  @ValidateIf((q: ListOrdersQuery) => q.checkoutId === undefined)
  @IsDefined({ message: 'clientId or checkoutId is required' })
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage('clientId') })
  clientId?: string;

  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage('checkoutId') })
  checkoutId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIST_LIMIT)
  limit: number = 20;
}
