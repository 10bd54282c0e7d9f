import { Controller, Get, HttpCode, Inject, type OnModuleDestroy, Param, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ErrorCode, NotFoundError, STREAMS } from '@app/contracts';
import { type StoredDeadLetter, listDeadLetters, redriveAllDeadLetters, redriveDeadLetter } from '@app/redis-streams';

const KNOWN_STREAMS: string[] = Object.values(STREAMS);
const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

class StreamParam {
  @IsIn(KNOWN_STREAMS, { message: `stream must be one of ${KNOWN_STREAMS.join(', ')}` }) stream!: string;
}

class DeadLetterParam extends StreamParam {
  @Matches(ENTRY_ID, { message: 'id must be a stream entry id such as 1732350000000-0' }) id!: string;
}

class DeadLetterQuery {
  @IsOptional() @IsIn(KNOWN_STREAMS, { message: `stream must be one of ${KNOWN_STREAMS.join(', ')}` }) stream?: string;
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
export class DeadLettersController implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  @Get()
  async list(@Query() { stream, after, limit }: DeadLetterQuery): Promise<{ deadLetters: DeadLetterView[]; next: string | null }> {
    const streams = stream === undefined ? KNOWN_STREAMS : [stream];
    const pages = await Promise.all(
      streams.map(async (name) =>
        (await listDeadLetters(this.redis, this.prefix + name, { limit, ...(after !== undefined && { after }) })).map((letter) => ({
          ...letter,
          stream: name,
          originalStream: letter.originalStream.slice(this.prefix.length),
        })),
      ),
    );
    const deadLetters = pages
      .flat()
      .sort((a, b) => compareIds(a.id, b.id))
      .slice(0, limit);
    return { deadLetters, next: deadLetters.length === limit ? deadLetters[deadLetters.length - 1]!.id : null };
  }

  @Post(':stream/:id/redrive')
  @HttpCode(200)
  async redrive(@Param() { stream, id }: DeadLetterParam): Promise<{ id: string; stream: string; redrivenAs: string }> {
    const redrivenAs = await redriveDeadLetter(this.redis, this.prefix + stream, id);
    if (redrivenAs === undefined) throw new NotFoundError(ErrorCode.DeadLetterNotFound, `No dead letter ${id} on ${stream}`, { stream, id });
    return { id, stream, redrivenAs };
  }

  @Post(':stream/redrive')
  @HttpCode(200)
  async redriveAll(@Param() { stream }: StreamParam): Promise<{ stream: string; redriven: number }> {
    return { stream, redriven: await redriveAllDeadLetters(this.redis, this.prefix + stream) };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}
