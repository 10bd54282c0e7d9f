import { Body, Controller, HttpCode, Param, Post, ServiceUnavailableException } from '@nestjs/common';
import { TransientStepError } from '@app/checkout-steps';
import type { Parcel } from '../parcel/parcel.mapper.js';
import { ParcelIdParam } from '../parcel/parcel-id.dto.js';
import { IncidentDto, ResolutionDto, ShippedDto } from './carrier-callbacks.dto.js';
import { MoveParcelHandler } from './move-parcel.handler.js';

/**
 * The carrier's callbacks, one per transition, and the resolution of an incident. Each answers the
 * parcel as it now is; a repeated callback answers the same and changes nothing; a transition the
 * parcel's status does not allow (a delivered parcel shipped again) is a 409 `SHIPPING.ILLEGAL_TRANSITION`.
 */
@Controller('parcels/:parcelId')
export class CarrierCallbacksController {
  constructor(private readonly handler: MoveParcelHandler) {}

  @Post('shipped')
  @HttpCode(200)
  shipped(@Param() { parcelId }: ParcelIdParam, @Body() { carrierRef }: ShippedDto): Promise<Parcel> {
    return this.handler.apply(parcelId, { kind: 'ship', ...(carrierRef !== undefined && { carrierRef }) });
  }

  @Post('delivered')
  @HttpCode(200)
  delivered(@Param() { parcelId }: ParcelIdParam): Promise<Parcel> {
    return this.handler.apply(parcelId, { kind: 'deliver' });
  }

  @Post('incidents')
  @HttpCode(200)
  incident(@Param() { parcelId }: ParcelIdParam, @Body() { kind, detail }: IncidentDto): Promise<Parcel> {
    return this.handler.apply(parcelId, { kind: 'declare-incident', incident: kind, ...(detail !== undefined && { detail }) });
  }

  /**
   * RESHIPPED registers a new parcel for the order; REFUNDED voids the authorization and marks the
   * order refunded. A 503 when payments or orders stayed unreachable: the refund is decided
   * (REFUNDING), a repeat or the deadline scan finishes it.
   */
  @Post('incident/resolution')
  @HttpCode(200)
  async resolve(@Param() { parcelId }: ParcelIdParam, @Body() { resolution }: ResolutionDto): Promise<Parcel> {
    try {
      return await this.handler.apply(parcelId, { kind: 'resolve', resolution });
    } catch (error) {
      if (error instanceof TransientStepError) throw new ServiceUnavailableException({ statusCode: 503, code: error.code, message: error.message });
      throw error;
    }
  }
}
