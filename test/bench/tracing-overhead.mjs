#!/usr/bin/env node
// @ts-check
// What tracing costs: the system started once per tracing mode (off, 10% and 100% of the checkouts
// sampled), the same steady load of each style in each, and the CPU per checkout compared. Unlike
// `npm run bench`, which drives a system already running, this starts and stops the system itself,
// since the mode is chosen when the apps start.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { isUp } from './api.client.mjs';
import { parseBenchOptions, positive } from './bench.options.mjs';
import { openStyle } from './bench.run.mjs';
import { calibrate } from './calibration.measure.mjs';
import { measureCost } from './cost.measure.mjs';
import { runStep } from './load.step.mjs';
import { describeMachine } from './machine.info.mjs';
import { OtlpSink } from './otlp.sink.mjs';
import { ProgressDisplay } from './progress.display.mjs';
import { measureRest } from './rest.measure.mjs';
import { startSystem } from './system.process.mjs';
import { modeOf, summarize, tracingEnvOf, tracingMarkdownOf } from './tracing-overhead.report.mjs';
import { commandLineOf, runCommand } from './command.runner.mjs';

const USAGE = `Usage: npm run bench:tracing -- [options]

Starts the system (as npm start does; stop any running one first) once per tracing mode and round,
runs each style at a steady rate, and reports the CPU per checkout with tracing off and on.

  --modes LIST             off and sampled percentages (default off,10,100)
  --rounds N               runs of every mode, the order reversed every other round (default 2)
  --styles LIST            orchestrated,choreographed (default both)
  --rate R                 checkouts/s of the measured step (default 20)
  --seconds S              duration of the measured step (default 30)
  --settle-seconds S       wait after the start, before anything is measured (default 20)
  --warmup-seconds S       unrecorded warm-up per style and start, at the measured rate (default 15)
  --rest-seconds S         the system at rest after each start (default 5)
  --calibration-seconds S  pgbench -N after each start (default 5)
  --out DIR                (default reports)
  --smoke                  quick run, used by the test: off and 100%, one round, a few seconds each
  --help`;

/** How long the exporter may hold spans before it sends them (the SDK's default OTEL_BSP_SCHEDULE_DELAY). */
const EXPORT_DELAY_MS = 5_000;

/** @param {string[]} argv */
function optionsOf(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      modes: { type: 'string' },
      rounds: { type: 'string' },
      styles: { type: 'string', default: 'orchestrated,choreographed' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'settle-seconds': { type: 'string' },
      'rest-seconds': { type: 'string' },
      'calibration-seconds': { type: 'string' },
      out: { type: 'string', default: 'reports' },
      smoke: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const smoke = values.smoke;
  /** @param {string | undefined} value @param {string} name @param {number} fallback */
  const number = (value, name, fallback) => (value === undefined ? fallback : positive(name, value));
  return {
    modes: (values.modes ?? (smoke ? 'off,100' : 'off,10,100')).split(',').map((m) => modeOf(m.trim())),
    rounds: Math.round(number(values.rounds, 'rounds', smoke ? 1 : 2)),
    styles: values.styles.split(',').map((s) => s.trim()),
    rate: number(values.rate, 'rate', smoke ? 5 : 20),
    seconds: number(values.seconds, 'seconds', smoke ? 3 : 30),
    settleSeconds: number(values['settle-seconds'], 'settle-seconds', smoke ? 1 : 20),
    warmupSeconds: number(values['warmup-seconds'], 'warmup-seconds', smoke ? 1 : 15),
    restSeconds: number(values['rest-seconds'], 'rest-seconds', smoke ? 1 : 5),
    calibrationSeconds: number(values['calibration-seconds'], 'calibration-seconds', smoke ? 1 : 5),
    outDir: values.out,
  };
}

/**
 * One style in the running system: its warm-up, then the measured step at the steady rate, with the
 * CPU of every process over it and the spans the sink received.
 * @param {import('./bench.options.mjs').Style} style
 * @param {{ round: number, mode: import('./tracing-overhead.report.mjs').TracingMode, sink: OtlpSink,
 *   rest: import('./rest.measure.mjs').RestReport, calibration: import('./calibration.measure.mjs').Calibration,
 *   bench: import('./bench.options.mjs').BenchOptions, options: NonNullable<ReturnType<typeof optionsOf>>, runTag: string, progress: ProgressDisplay }} run
 * @returns {Promise<import('./tracing-overhead.report.mjs').TracingSample>}
 */
async function measureStyle(style, { round, mode, sink, rest, calibration, bench, options, runTag, progress }) {
  const session = await openStyle(style, bench, { runTag: `${runTag}R${round}${mode.name.replace('%', 'P')}`, progress });
  try {
    // The warm-up's spans leave first, so the window counts only its own. Every mode waits
    // alike, so that each window holds the same seconds of the system's own background.
    await sleep(EXPORT_DELAY_MS + 1_000);
    const spansBefore = sink.spans;
    /** @type {import('./load.step.mjs').StepReport | undefined} */
    let step;
    const { report: cost } = await measureCost(
      async () => {
        step = await runStep(session.context, {
          label: `${style}, tracing ${mode.name}, ${options.rate}/s`,
          load: { kind: 'open', rate: options.rate },
          seconds: options.seconds,
        });
        // The spans of the last checkouts leave with the exporter's next batch: its CPU is theirs.
        await sleep(EXPORT_DELAY_MS + 1_000);
        return step;
      },
      { databaseUrl: bench.databaseUrl },
    );
    return {
      round,
      mode: mode.name,
      style,
      sent: cost.checkouts,
      cpuMsPerCheckout: cost.totalMsPerCheckout,
      cpuMsPerTransaction: calibration.cpuMsPerTransaction,
      transactionsPerCheckout: cost.totalMsPerCheckout / calibration.cpuMsPerTransaction,
      spansPerCheckout: (sink.spans - spansBefore) / Math.max(1, cost.checkouts),
      p50Ms: step?.endToEnd.p50 ?? 0,
      p99Ms: step?.endToEnd.p99 ?? 0,
      restCoresBusy: rest.coresBusy,
      components: cost.components.map((c) => ({ name: c.name, msPerCheckout: c.msPerCheckout })),
    };
  } finally {
    await session.close();
  }
}

async function main() {
  const options = optionsOf(process.argv.slice(2));
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  // The bench's own settings for driving the styles: npm start's URLs, database and bus.
  const bench = parseBenchOptions(
    // It settles once after each start itself (--settle-seconds here), and no step may wait inside its measured window.
    [
      '--styles',
      options.styles.join(','),
      '--warmup-seconds',
      String(options.warmupSeconds),
      '--start-rate',
      String(options.rate),
      '--drain-seconds',
      '30',
      '--settle-seconds',
      '0',
    ],
    process.env,
  );
  if (bench === undefined) return 0;
  if (await isUp(bench.inventoryUrl))
    throw new Error(`A system already answers at ${bench.inventoryUrl}: stop it first, this bench starts the system once per tracing mode.`);
  const generatedAt = new Date().toISOString();
  const runTag = Date.now().toString(36).toUpperCase();
  const environment = await describeMachine(bench);
  const progress = new ProgressDisplay();
  const sink = new OtlpSink();
  const endpoint = await sink.start();
  /** @type {import('./tracing-overhead.report.mjs').TracingSample[]} */
  const samples = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const modes = round % 2 === 1 ? options.modes : [...options.modes].reverse();
      for (const mode of modes) {
        progress.note(`\n== round ${round}, tracing ${mode.name}: starting the system ==`);
        const system = await startSystem(tracingEnvOf(mode, endpoint));
        try {
          // Boot's own work (JIT, first maintenance passes, the demo catalogue) is not the steady state.
          await sleep(options.settleSeconds * 1_000);
          const rest = await measureRest({ seconds: options.restSeconds, cores: environment.machine.cores });
          const postgresRestMsPerSecond = (rest.components.find((c) => c.name === 'postgres')?.cpuMs ?? 0) / rest.seconds;
          const calibration = await calibrate({ databaseUrl: bench.databaseUrl, seconds: options.calibrationSeconds, runTag, postgresRestMsPerSecond });
          for (const style of bench.styles) {
            samples.push(await measureStyle(style, { round, mode, sink, rest, calibration, bench, options, runTag, progress }));
          }
        } finally {
          await system.stop();
        }
      }
    }
  } finally {
    await sink.stop();
  }
  const modes = options.modes.map((m) => m.name);
  const report = {
    generatedAt,
    command: commandLineOf('bench:tracing', 'test/bench/tracing-overhead.mjs'),
    load: {
      rate: options.rate,
      seconds: options.seconds,
      rounds: options.rounds,
      modes,
      settleSeconds: options.settleSeconds,
      warmupSeconds: options.warmupSeconds,
    },
    environment,
    samples,
    summary: summarize(samples, modes),
  };
  const folder = join(options.outDir, `${generatedAt.replace(/[:.]/g, '-')}-tracing`);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'tracing.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(folder, 'tracing.md'), tracingMarkdownOf(report));
  console.log(`\nReport: ${folder}/tracing.md`);
  return 0;
}

runCommand(main);
