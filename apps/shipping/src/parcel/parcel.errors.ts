import { ConflictError, ErrorCode, NotFoundError } from '@app/contracts';
import type { ParcelMove, ParcelState } from './parcel.machine.js';

export const parcelNotFound = (parcelId: string): NotFoundError => new NotFoundError(ErrorCode.ParcelNotFound, `No parcel ${parcelId}`, { parcelId });

export const illegalTransition = (parcelId: string, status: ParcelState, move: ParcelMove['kind']): ConflictError =>
  new ConflictError(ErrorCode.IllegalParcelTransition, `Parcel ${parcelId} is ${status}: it cannot ${move.replace('-', ' ')}`, { parcelId, status, move });
