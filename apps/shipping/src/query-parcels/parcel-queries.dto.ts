import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';
import { PARCEL_CURSOR } from '@app/event-store';

/** `GET /parcels?clientId=&limit=&cursor=`: a client's parcels, newest first, keyset-paginated. */
export class ListParcelsQuery {
  @IsString()
  @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  clientId!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @IsOptional()
  @IsString()
  @Matches(PARCEL_CURSOR, { message: 'cursor must be a nextCursor returned by this list' })
  cursor?: string;
}
