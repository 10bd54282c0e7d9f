import { Controller, Get, Inject, type OnModuleDestroy, Param, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { STREAMS, deadLetterStreamOf } from '@app/contracts';
import { type StoredEvent, readStream, storedStreams } from '@app/event-store';
import { type StreamGroupStats, streamGroupStats } from '@app/redis-streams';

const KNOWN_STREAMS: string[] = Object.values(STREAMS);

class StreamParam {
  @IsIn(KNOWN_STREAMS, { message: `stream must be one of ${KNOWN_STREAMS.join(', ')}` }) stream!: string;
}

class PageQuery {
  /** Stream position after which to start (0 = from the beginning). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) after = 0;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
}

interface StreamSummary {
  stream: string;
  /** Entries currently on the Redis stream (trimmed streams hold fewer than were ever published). */
  busLength: number;
  /** Events in the durable store for this stream. */
  storedEvents: number;
  deadLetters: number;
  groups: StreamGroupStats[];
}

/** The streams of the bus, their consumer groups' pending and lag, and the stored events of each. */
@Controller('api/event-store/streams')
export class BrowseStreamsController implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  @Get()
  async list(): Promise<StreamSummary[]> {
    const stored = new Map((await storedStreams(this.db)).map((s) => [s.stream, s.length]));
    return Promise.all(
      KNOWN_STREAMS.map(async (stream) => {
        const key = this.prefix + stream;
        const [busLength, deadLetters, groups] = await Promise.all([this.redis.xlen(key), this.redis.xlen(deadLetterStreamOf(key)), streamGroupStats(this.redis, key)]);
        return { stream, busLength, storedEvents: stored.get(stream) ?? 0, deadLetters, groups };
      }),
    );
  }

  @Get(':stream/events')
  async events(@Param() { stream }: StreamParam, @Query() { after, limit }: PageQuery): Promise<{ events: StoredEvent[]; next: number | null }> {
    const events = await readStream(this.db, stream, after, limit);
    return { events, next: events.length === limit ? events[events.length - 1]!.streamPosition : null };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
