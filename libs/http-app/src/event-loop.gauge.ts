import { performance } from 'node:perf_hooks';
import { gauge } from '@app/observability';

/**
 * `nodejs_eventloop_utilization_ratio`: the share of the time since the previous scrape that the
 * event loop spent running callbacks rather than waiting for I/O (1: saturated). Node derives it
 * from libuv's own idle-time counters when asked, so unlike a lag sampler it costs nothing between
 * scrapes and never wakes an idle process.
 */
export function registerEventLoopUtilization(): void {
  let since = performance.eventLoopUtilization();
  gauge({
    name: 'nodejs_eventloop_utilization_ratio',
    help: 'Share of the time since the previous scrape the event loop spent running callbacks (0 to 1)',
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, since).utilization);
      since = now;
    },
  });
}
