import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn } from 'class-validator';
import { DataSource } from 'typeorm';
import { ParcelViewCache, READ_MODELS, type RebuildReport, parcelModel, parcelVersions, rebuildReadModel } from '@app/event-store';

const NAMES = READ_MODELS.map((m) => m.name);

class ProjectionNameParam {
  @IsIn(NAMES, { message: `name must be one of ${NAMES.join(', ')}` }) name!: string;
}

/** Replaces a read model by the fold of every stored event; reports events and seconds. */
@Controller('api/event-store/projections')
export class RebuildProjectionController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly parcelCache: ParcelViewCache,
  ) {}

  @Post(':name/rebuild')
  @HttpCode(200)
  async rebuild(@Param() { name }: ProjectionNameParam): Promise<RebuildReport> {
    const model = READ_MODELS.find((m) => m.name === name)!;
    const report = await rebuildReadModel(this.db, model);
    // The rebuilt parcels replace what the cache holds, as a projection would.
    if (model === parcelModel) {
      const ids = await this.db.query<{ parcel_id: string }[]>('SELECT parcel_id FROM parcel_view');
      await this.parcelCache.invalidate(await parcelVersions(this.db, ids.map((r) => r.parcel_id)));
    }
    return report;
  }
}
