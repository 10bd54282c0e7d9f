import { IsUUID } from 'class-validator';

/** Route parameter `:id`: order ids are UUIDs the service generated. */
export class OrderIdParam {
  @IsUUID('all', { message: 'id must be a UUID' }) id!: string;
}
