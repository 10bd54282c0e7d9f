import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn } from 'class-validator';
import { DataSource } from 'typeorm';
import { READ_MODELS, type RebuildReport, rebuildReadModel } from '@app/event-store';

const NAMES = READ_MODELS.map((m) => m.name);

class ProjectionNameParam {
  @IsIn(NAMES, { message: `name must be one of ${NAMES.join(', ')}` }) name!: string;
}

/** Replaces a read model by the fold of every stored event; reports events and seconds. */
@Controller('api/event-store/projections')
export class RebuildProjectionController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post(':name/rebuild')
  @HttpCode(200)
  rebuild(@Param() { name }: ProjectionNameParam): Promise<RebuildReport> {
    return rebuildReadModel(
      this.db,
      READ_MODELS.find((m) => m.name === name)!,
    );
  }
}
