// @ts-check

/** The targets of the issue, reported plainly as met or missed. */
export const TARGETS = { sustainedRate: 200, p95At100Ms: 50, replayEventsPerSecond: 20_000 };

/**
 * @typedef {{ target: string, subject: string, met: boolean | null, measured: string }} TargetResult
 */

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
    });
    const at100 = s.sweep.steps.find((step) => step.load.kind === 'open' && step.load.rate === 100);
    results.push({
      target: `p95 <= ${TARGETS.p95At100Ms} ms end-to-end at 100/s`,
      subject: s.style,
      met: at100 === undefined ? (s.sweep.knee !== null && s.sweep.knee > 100 ? null : false) : at100.endToEnd.p95 <= TARGETS.p95At100Ms,
      measured: at100 === undefined ? 'the sweep did not run at 100/s' : `p95 ${at100.endToEnd.p95} ms`,
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
  });
  return results;
}
