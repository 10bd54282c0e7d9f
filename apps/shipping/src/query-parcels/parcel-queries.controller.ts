import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ParcelPage, ParcelViewCache, parcelById, parcelsOfClient } from '@app/event-store';
import type { ParcelView } from '@app/projections';
import { ParcelIdParam } from '../parcel/parcel-id.dto.js';
import { parcelNotFound } from '../parcel/parcel.errors.js';
import { ListParcelsQuery } from './parcel-queries.dto.js';
import { PARCEL_READ_MODEL } from './parcel-read-model.source.js';

/**
 * The query side of shipping: the parcels read model, through its Redis cache. A parcel appears
 * here once the projector has applied its `ParcelRegistered` (milliseconds after the carrier's
 * callbacks answer).
 */
@Controller('parcels')
export class ParcelQueriesController {
  constructor(
    @Inject(PARCEL_READ_MODEL) private readonly db: DataSource,
    private readonly cache: ParcelViewCache,
  ) {}

  /** A client's parcels, newest first, `limit` (1-100, default 20) per page; `nextCursor` leads to the next page. */
  @Get()
  list(@Query() { clientId, limit, cursor }: ListParcelsQuery): Promise<ParcelPage> {
    const page = { limit, ...(cursor !== undefined && { cursor }) };
    return this.cache.clientPage(clientId, page, () => parcelsOfClient(this.db, clientId, page));
  }

  /** A parcel's status and timeline. */
  @Get(':parcelId')
  async get(@Param() { parcelId }: ParcelIdParam): Promise<ParcelView> {
    const view = await this.cache.parcel(parcelId, () => parcelById(this.db, parcelId));
    if (view === undefined) throw parcelNotFound(parcelId);
    return view;
  }
}
