import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ErrorCode, NotFoundError } from '@app/contracts';
import { BusAdmin } from '@app/bus';
import { type StoredDeadLetter, compareEntryIds } from '@app/redis-streams';
import { KNOWN_STREAMS, STREAM_MESSAGE, StreamParam } from '../bus/stream.params.js';

const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

class DeadLetterParam extends StreamParam {
  @Matches(ENTRY_ID, { message: 'id must be a stream entry id such as 1732350000000-0' }) id!: string;
}

class DeadLetterQuery {
  @IsOptional() @IsIn(KNOWN_STREAMS, { message: STREAM_MESSAGE }) stream?: string;
  /** Dead-letter id after which to start, from the previous page's `next`. */
  @IsOptional() @Matches(ENTRY_ID, { message: 'after must be a stream entry id such as 1732350000000-0' }) after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
}

/** A dead letter with its stream named as in the API (without the deployment's key prefix). */
type DeadLetterView = StoredDeadLetter & { stream: string };

/**
 * The dead-letter view: events a consumer group gave up on, with the error, and their redrive back
 * onto the stream once the cause is fixed.
 */
@Controller('api/event-store/dead-letters')
export class DeadLettersController {
  constructor(private readonly bus: BusAdmin) {}

  @Get()
  async list(@Query() { stream, after, limit }: DeadLetterQuery): Promise<{ deadLetters: DeadLetterView[]; next: string | null }> {
    const streams = stream === undefined ? KNOWN_STREAMS : [stream];
    const pages = await Promise.all(
      streams.map(async (name) =>
        (await this.bus.listDeadLetters(name, { limit, ...(after !== undefined && { after }) })).map((letter) => ({ ...letter, stream: name })),
      ),
    );
    const deadLetters = pages
      .flat()
      .sort((a, b) => compareEntryIds(a.id, b.id))
      .slice(0, limit);
    return { deadLetters, next: deadLetters.length === limit ? deadLetters[deadLetters.length - 1]!.id : null };
  }

  @Post(':stream/:id/redrive')
  @HttpCode(200)
  async redrive(@Param() { stream, id }: DeadLetterParam): Promise<{ id: string; stream: string; redrivenAs: string }> {
    const redrivenAs = await this.bus.redriveDeadLetter(stream, id);
    if (redrivenAs === undefined) throw new NotFoundError(ErrorCode.DeadLetterNotFound, `No dead letter ${id} on ${stream}`, { stream, id });
    return { id, stream, redrivenAs };
  }

  @Post(':stream/redrive')
  @HttpCode(200)
  async redriveAll(@Param() { stream }: StreamParam): Promise<{ stream: string; redriven: number }> {
    return { stream, redriven: await this.bus.redriveAllDeadLetters(stream) };
  }
}
