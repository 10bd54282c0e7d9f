import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';

export const MAX_PAGE_SIZE = 100;

/** Route parameter `:clientId`. */
export class ClientIdParam {
  @IsString()
  @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  clientId!: string;
}

/** `?limit=&cursor=`: newest first, keyset-paginated. */
export class NotificationPageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be a nextCursor returned by this list' })
  cursor?: string;
}
