import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { INCIDENT_RESOLUTIONS, type IncidentResolution } from '@app/contracts';

/** Optional body of `POST /parcels/:parcelId/shipped`. */
export class ShippedDto {
  /** The carrier's tracking reference (absent, not null, when there is none). */
  @ValidateIf((_dto: ShippedDto, value: unknown) => value !== undefined)
  @IsString()
  @Matches(/^[\w.:-]{1,100}$/, { message: 'carrierRef must be 1-100 letters, digits, dots, dashes, colons or underscores' })
  carrierRef?: string;
}

/** Body of `POST /parcels/:parcelId/incidents`: what the carrier reports. DEADLINE is declared by the shipping app only. */
export class IncidentDto {
  @IsIn(['LOST', 'DAMAGED'], { message: 'kind must be LOST or DAMAGED' }) kind!: 'LOST' | 'DAMAGED';
  @IsOptional() @IsString() @Length(1, 200) detail?: string;
}

/** Body of `POST /parcels/:parcelId/incident/resolution`. */
export class ResolutionDto {
  @IsIn(INCIDENT_RESOLUTIONS, { message: `resolution must be one of ${INCIDENT_RESOLUTIONS.join(', ')}` }) resolution!: IncidentResolution;
}
