import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { ID_PATTERN } from '@app/contracts';

const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;
/** The streams that have dead letters, as the event store names them. */
export const STREAMS = ['ecommerce.checkout.events', 'ecommerce.saga.events', 'ecommerce.carts.events'] as const;

export class OperationsQuery {
  /** The saga list's `nextCursor`. */
  @IsOptional() @Matches(/^\d{1,18}$/, { message: 'parkedCursor must be a cursor this page gave' }) parkedCursor?: string;
  /** The dead-letter list's `next`. */
  @IsOptional() @Matches(ENTRY_ID, { message: 'deadAfter must be a dead-letter id such as 1732350000000-0' }) deadAfter?: string;
}

export class SagaParam {
  @IsUUID('all', { message: 'id must be a saga id (a UUID)' }) id!: string;
}

export class CheckoutParam {
  @Matches(ID_PATTERN, { message: 'id must be 1-100 letters, digits, dots, dashes, colons or underscores' }) id!: string;
}

export class StreamParam {
  @IsIn(STREAMS, { message: `stream must be one of ${STREAMS.join(', ')}` }) stream!: string;
}

export class DeadLetterParam extends StreamParam {
  @Matches(ENTRY_ID, { message: 'id must be a dead-letter id such as 1732350000000-0' }) id!: string;
}
