import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BackendClient } from '../backend/backend.client.js';
import { parseMetrics } from './metrics-text.js';
import { type Reading, choreographedReading, orchestratedReading } from './overview.reading.js';
import { HISTORY_MS, RATE_WINDOW_MS } from './overview.stats.js';

/** As often as the overview refreshes, while someone looks at it. */
export const SAMPLE_INTERVAL_MS = 2_000;
/** While nobody looks: the next visitor still finds a reading within the rate window to count from. */
export const UNWATCHED_SAMPLE_INTERVAL_MS = 30_000;
/** How long a look at the overview keeps the sampler at its fast pace. */
export const WATCHED_FOR_MS = 60_000;

/**
 * Scrapes the public /metrics of the orchestrator, the cqrs-projection worker and the checkout app,
 * as Prometheus would, and keeps the last minutes in memory: rates and latency quantiles need two
 * readings, and `npm start` runs no Prometheus. Every two seconds while someone looks at the
 * overview (`watch()`) or until an app first answers, every thirty otherwise: a console nobody opens
 * keeps the system at rest.
 */
@Injectable()
export class OverviewSampler implements OnModuleInit, OnModuleDestroy {
  private readonly readings: Reading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private lastWatchedAt = Number.NEGATIVE_INFINITY;
  /**
   * Whether an app has answered a scrape yet. Until one has (the console usually starts before the
   * others), the sampler keeps the fast pace: the overview has its first reading seconds after the
   * system is up, and the sampler's one-time warm-up (about 90 ms of CPU for its first answered
   * scrape) is over by then instead of falling into the system's first quiet minute.
   */
  private answered = false;
  private stopped = false;

  constructor(private readonly backend: BackendClient) {}

  onModuleInit(): void {
    this.sampleThenSchedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sampling;
  }

  /** Someone looks at the overview: a reading now if the pace was slow, then every two seconds for the next minute. */
  watch(): void {
    const wasWatched = this.watched();
    this.lastWatchedAt = Date.now();
    if (!wasWatched) this.sampleThenSchedule();
  }

  private watched(): boolean {
    return Date.now() - this.lastWatchedAt < WATCHED_FOR_MS;
  }

  private sampleThenSchedule(): void {
    clearTimeout(this.timer);
    // One scrape at a time: a slow app delays the next reading instead of piling scrapes up.
    this.sampling = this.sampling
      .then(() => this.sample())
      .catch(() => undefined)
      .finally(() => {
        if (this.stopped) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.sampleThenSchedule(), this.watched() || !this.answered ? SAMPLE_INTERVAL_MS : UNWATCHED_SAMPLE_INTERVAL_MS);
        this.timer.unref();
      });
  }

  /** The readings of the last minutes, oldest first. */
  history(): readonly Reading[] {
    return this.readings;
  }

  private async sample(): Promise<void> {
    const { metrics } = this.backend.routes;
    const [orchestrator, projection, checkout] = await Promise.all(
      [metrics.orchestrated, metrics.choreographed, metrics.checkout].map(async (url) => {
        const text = await this.backend.metrics(url);
        return text === undefined ? undefined : parseMetrics(text);
      }),
    );
    this.answered ||= [orchestrator, projection, checkout].some((answer) => answer !== undefined);
    const at = Date.now();
    this.readings.push({
      at,
      styles: {
        ...(orchestrator !== undefined && { orchestrated: orchestratedReading(orchestrator) }),
        ...(projection !== undefined && { choreographed: choreographedReading(projection, checkout) }),
      },
    });
    while (this.readings.length > 0 && this.readings[0]!.at < at - HISTORY_MS - RATE_WINDOW_MS) this.readings.shift();
  }
}
