import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { SAGA_STATES, type SagaState } from '../saga/saga.machine.js';

export const MAX_LIST_LIMIT = 100;

/** Route parameter `:id`: saga ids are UUIDs. */
export class SagaIdParam {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}

/** `GET /api/saga/list?state=&limit=&cursor=`: newest first, keyset-paginated. */
export class ListSagasQuery {
  @IsOptional()
  @IsIn(SAGA_STATES, { message: `state must be one of ${SAGA_STATES.join(', ')}` })
  state?: SagaState;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIST_LIMIT)
  limit: number = 20;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be a nextCursor returned by this list' })
  cursor?: string;
}
