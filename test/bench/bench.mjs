#!/usr/bin/env node
// @ts-check
// Plain ESM with JSDoc types, run by node as scripts/*.mjs are: the bench needs no build step, runs
// the same from `npm run bench` and from its test, and imports nothing of the apps, only their HTTP
// APIs and the Redis stream, as any client of the system would.
import { performance } from 'node:perf_hooks';
import { isUp } from './api.client.mjs';
import { parseBenchOptions } from './bench.options.mjs';
import { finishStyle, openStyle, runRound } from './bench.run.mjs';
import { calibrate } from './calibration.measure.mjs';
import { evaluateTargets } from './bench.targets.mjs';
import { describeMachine } from './machine.info.mjs';
import { ProgressDisplay } from './progress.display.mjs';
import { measureReplay } from './replay.measure.mjs';
import { measureRest } from './rest.measure.mjs';
import { scrapeHistograms } from './service-metrics.scrape.mjs';
import { writeReport } from './report.writer.mjs';
import { commandLineOf, runCommand } from './command.runner.mjs';

/** @param {import('./bench.options.mjs').BenchOptions} options */
async function styleUrls(options) {
  /** @type {import('./bench.options.mjs').Style[]} */
  const run = [];
  const skipped = [];
  for (const style of options.styles) {
    const url = style === 'orchestrated' ? options.orchestratorUrl : options.checkoutUrl;
    if (await isUp(url)) run.push(style);
    else if (options.stylesExplicit) throw new Error(`The ${style} style was asked for but nothing answers at ${url}/health/live`);
    else skipped.push({ style, reason: `nothing answers at ${url} (its app is not running)` });
  }
  return { run, skipped };
}

/**
 * The units that hold across machines, measured before any traffic: the system's CPU at rest, then
 * the CPU of a `pgbench -N` transaction (PostgreSQL's CPU at rest taken out of it).
 * @param {import('./bench.options.mjs').BenchOptions} options
 * @param {string} runTag
 * @param {number} cores
 * @param {ProgressDisplay} progress
 */
async function unitsOf(options, runTag, cores, progress) {
  if (options.restSeconds === 0) return { rest: null, calibration: null };
  progress.note(`The system at rest: ${options.restSeconds} s with no traffic...`);
  const rest = await measureRest({ seconds: options.restSeconds, cores });
  progress.note(`  ${(100 * rest.share).toFixed(1)}% of the ${cores} cores busy (${rest.coresBusy.toFixed(3)} cores)`);
  const postgresRestMsPerSecond = (rest.components.find((c) => c.name === 'postgres')?.cpuMs ?? 0) / rest.seconds;
  const calibration = await calibrate({ databaseUrl: options.databaseUrl, seconds: options.calibrationSeconds, runTag, postgresRestMsPerSecond });
  progress.note(`Calibration (${calibration.method}): ${calibration.cpuMsPerTransaction.toFixed(3)} ms of CPU per transaction`);
  return { rest, calibration };
}

async function main() {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  if (options === undefined) return 0;
  const started = performance.now();
  const generatedAt = new Date().toISOString();
  const runTag = Date.now().toString(36).toUpperCase();
  if (!(await isUp(options.inventoryUrl))) throw new Error(`The inventory does not answer at ${options.inventoryUrl}: start the system first (npm start)`);
  const { run, skipped } = await styleUrls(options);
  if (run.length === 0) throw new Error(`No style to run: ${skipped.map((s) => `${s.style}, ${s.reason}`).join('; ')}`);
  for (const s of skipped) console.log(`Skipping ${s.style}: ${s.reason}`);

  const environment = await describeMachine(options);
  const progress = new ProgressDisplay();
  const { rest, calibration } = await unitsOf(options, runTag, environment.machine.cores, progress);
  const sessions = [];
  for (const style of run) sessions.push(await openStyle(style, options, { runTag, progress }));
  const styles = [];
  try {
    const before = await scrapeHistograms(options.metricsUrls);
    // The styles alternate, so a drift of the machine over the run shows as a difference between runs, not between styles.
    for (let round = 1; round <= options.rounds; round++) {
      for (const session of sessions) await runRound(session, round, options);
    }
    const after = await scrapeHistograms(options.metricsUrls);
    while (sessions.length > 0) styles.push(await finishStyle(/** @type {typeof sessions[number]} */ (sessions.shift()), options, { before, after }));
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
  const replay = options.replay ? await measureReplay(options) : { skipped: 'not asked for (--no-replay)' };
  const checks = styles.flatMap((s) => s.invariants);
  const folder = await writeReport(
    options.outDir,
    {
      generatedAt,
      command: commandLineOf('bench', 'test/bench/bench.mjs'),
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      options: { ...options, apiKey: '(not shown)' },
      ...environment,
      rest,
      calibration,
      styles,
      skipped,
      replay,
      targets: evaluateTargets(
        { styles, rest, calibration, cores: environment.machine.cores, invariantsPassed: checks.every((c) => c.passed) },
        'skipped' in replay ? null : replay,
      ),
      invariants: { passed: checks.every((c) => c.passed), checks },
    },
    options.p99LimitMs,
  );
  console.log(`\nReport: ${folder}/report.md`);
  if (!checks.every((c) => c.passed)) {
    console.error('Invariant check FAILED (see the report).');
    return 1;
  }
  return 0;
}

runCommand(main);
