import { IsUUID } from 'class-validator';

/** Route parameter `:parcelId`. */
export class ParcelIdParam {
  @IsUUID('all', { message: 'parcelId must be a UUID' }) parcelId!: string;
}
