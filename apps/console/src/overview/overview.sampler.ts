import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BackendClient } from '../backend/backend.client.js';
import { parseMetrics } from './metrics-text.js';
import { type Reading, choreographedReading, orchestratedReading } from './overview.reading.js';
import { HISTORY_MS, RATE_WINDOW_MS } from './overview.stats.js';

/** As often as the overview refreshes. */
export const SAMPLE_INTERVAL_MS = 2_000;

/**
 * Scrapes the public /metrics of the orchestrator, the cqrs-projection worker and the checkout app
 * every two seconds, as Prometheus would, and keeps the last minutes in memory: rates and latency
 * quantiles need two readings, and `npm start` runs no Prometheus.
 */
@Injectable()
export class OverviewSampler implements OnModuleInit, OnModuleDestroy {
  private readonly readings: Reading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();

  constructor(private readonly backend: BackendClient) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      // One scrape at a time: a slow app delays the next reading instead of piling scrapes up.
      this.sampling = this.sampling.then(() => this.sample());
    }, SAMPLE_INTERVAL_MS);
    this.timer.unref();
    this.sampling = this.sample();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
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
