// @ts-check
import { choreographedHops } from './choreographed.hops.mjs';
import { orchestratedHops } from './orchestrated.hops.mjs';
import { CALL_HISTOGRAM, EVENT_LATENCY_HISTOGRAM, scrapeHistograms, seriesDeltas } from './service-metrics.scrape.mjs';

/** @typedef {import('./hop.parts.mjs').HopTimes} HopTimes */

/**
 * Starts timing the hops of a style's cost step: remembers when it began and what the services'
 * call and event-latency histograms held, process by process; `finish` reads the timestamps the
 * system recorded for the step's checkouts and splits each hop's time.
 * @param {import('./bench.options.mjs').Style} style
 * @param {import('./bench.options.mjs').BenchOptions} options
 */
export async function openHopTiming(style, options) {
  const names = [CALL_HISTOGRAM, EVENT_LATENCY_HISTOGRAM];
  const sinceMs = Date.now();
  const before = await scrapeHistograms(options.metricsUrls, names);
  return {
    /**
     * @param {import('./checkout.drivers.mjs').CheckoutResult[]} results the cost step's
     * @param {import('./hop.parts.mjs').StatementDelta[]} statements the cost step's pg_stat_statements deltas (empty when unavailable)
     * @returns {Promise<import('./hop.parts.mjs').HopTimes>}
     */
    async finish(results, statements) {
      const after = await scrapeHistograms(options.metricsUrls, names);
      /** @type {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} */
      const deltasByUrl = new Map();
      for (const [url, series] of after.byUrl) deltasByUrl.set(url, seriesDeltas(before.byUrl.get(url) ?? new Map(), series));
      return style === 'orchestrated'
        ? orchestratedHops(results, options, sinceMs, deltasByUrl, statements)
        : choreographedHops(results, options, sinceMs, deltasByUrl, statements);
    },
  };
}
