import { Controller, Get, Param, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { type StoredEvent, readStream, storedStreams } from '@app/event-store';
import { BusAdmin } from '@app/bus';
import type { StreamGroupStats } from '@app/redis-streams';
import { KNOWN_STREAMS, StreamParam } from '../bus/stream.params.js';

class PageQuery {
  /** Stream position after which to start (0 = from the beginning). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) after = 0;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
}

interface StreamSummary {
  stream: string;
  /** Entries currently on the bus (trimmed or aged-out streams hold fewer than were ever published). */
  busLength: number;
  /** Events in the durable store for this stream. */
  storedEvents: number;
  deadLetters: number;
  groups: StreamGroupStats[];
}

/** The streams of the bus, their consumer groups' pending and lag, and the stored events of each. */
@Controller('api/event-store/streams')
export class BrowseStreamsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bus: BusAdmin,
  ) {}

  @Get()
  async list(): Promise<StreamSummary[]> {
    const stored = new Map((await storedStreams(this.db)).map((s) => [s.stream, s.length]));
    return Promise.all(
      KNOWN_STREAMS.map(async (stream) => {
        const { busLength, deadLetters, groups } = await this.bus.summary(stream);
        return { stream, busLength, storedEvents: stored.get(stream) ?? 0, deadLetters, groups };
      }),
    );
  }

  @Get(':stream/events')
  async events(@Param() { stream }: StreamParam, @Query() { after, limit }: PageQuery): Promise<{ events: StoredEvent[]; next: number | null }> {
    const events = await readStream(this.db, stream, after, limit);
    return { events, next: events.length === limit ? events[events.length - 1]!.streamPosition : null };
  }
}
