// @ts-check

/** The targets of the issue, reported plainly as met or missed. */
export const TARGETS = { sustainedRate: 200, p95At100Ms: 50, replayEventsPerSecond: 20_000 };

/**
 * @typedef {{ target: string, subject: string, met: boolean | null, measured: string, shortBy: string }} TargetResult
 */

/**
 * What bounds a style on this machine, from the cost step: the CPU per checkout, the rate that
 * CPU allows on the machine's cores, and the processes that spend most of it.
 * @param {import('./bench.run.mjs').StyleReport} s
 * @param {number} cores
 * @returns {string | null}
 */
export function boundOf(s, cores) {
  const cost = s.cost;
  if (cost === null || cost.totalMsPerCheckout === 0) return null;
  const ceiling = Math.round((cores * 1_000) / cost.totalMsPerCheckout);
  const biggest = cost.components
    .filter((c) => c.name !== 'load generator (bench)')
    .slice(0, 4)
    .map((c) => `${c.name} ${c.msPerCheckout.toFixed(1)} ms`)
    .join(', ');
  const needed = (cores * 1_000) / TARGETS.sustainedRate;
  return (
    `CPU: ${cost.totalMsPerCheckout.toFixed(1)} ms per checkout (measured at ${cost.rate}/s), so ${cores} fully busy cores allow about ${ceiling}/s; ` +
    `${TARGETS.sustainedRate}/s needs at most ${needed.toFixed(0)} ms per checkout. Most of it: ${biggest}.`
  );
}

/**
 * @param {import('./bench.run.mjs').StyleReport[]} styles
 * @param {{ eventsPerSecond: number, events: number, seconds: number } | null} replay
 * @returns {TargetResult[]}
 */
export function evaluateTargets(styles, replay) {
  /** @type {TargetResult[]} */
  const results = [];
  for (const s of styles) {
    const knee = s.sweep.knee;
    const highestTried = s.sweep.steps.at(-1)?.load;
    const ceiling = highestTried?.kind === 'open' && knee === highestTried.rate ? ' (the highest rate tried; the real knee may be higher)' : '';
    results.push({
      target: `>= ${TARGETS.sustainedRate} checkouts/s sustained`,
      subject: s.style,
      met: knee !== null && knee >= TARGETS.sustainedRate,
      measured: knee === null ? 'no rate sustained' : `knee at ${knee}/s${ceiling}`,
      shortBy: knee !== null && knee >= TARGETS.sustainedRate ? '' : `${TARGETS.sustainedRate - (knee ?? 0)}/s (${Math.round((100 * (TARGETS.sustainedRate - (knee ?? 0))) / TARGETS.sustainedRate)}%)`,
    });
    const at100 = s.sweep.steps.find((step) => step.load.kind === 'open' && step.load.rate === 100);
    results.push({
      target: `p95 <= ${TARGETS.p95At100Ms} ms end-to-end at 100/s`,
      subject: s.style,
      met: at100 === undefined ? (s.sweep.knee !== null && s.sweep.knee > 100 ? null : false) : at100.endToEnd.p95 <= TARGETS.p95At100Ms,
      measured: at100 === undefined ? 'the sweep did not run at 100/s' : `p95 ${at100.endToEnd.p95} ms`,
      shortBy:
        at100 === undefined
          ? '100/s is above the knee'
          : at100.endToEnd.p95 <= TARGETS.p95At100Ms
            ? ''
            : `${Math.round(at100.endToEnd.p95 - TARGETS.p95At100Ms)} ms over (${(at100.endToEnd.p95 / TARGETS.p95At100Ms).toFixed(1)}× the bound)`,
    });
  }
  results.push({
    target: `replay >= ${TARGETS.replayEventsPerSecond.toLocaleString('en-US')} events/s`,
    subject: 'event store',
    met: replay === null || replay.events === 0 ? null : replay.eventsPerSecond >= TARGETS.replayEventsPerSecond,
    measured:
      replay === null
        ? 'not measured'
        : `${Math.round(replay.eventsPerSecond).toLocaleString('en-US')} events/s (${replay.events} events in ${replay.seconds} s)`,
    shortBy:
      replay === null || replay.eventsPerSecond >= TARGETS.replayEventsPerSecond
        ? ''
        : `${Math.round(TARGETS.replayEventsPerSecond - replay.eventsPerSecond).toLocaleString('en-US')} events/s`,
  });
  return results;
}
