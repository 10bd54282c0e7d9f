import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { FaultResult } from './fault-run.js';

export interface ChaosReport {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string };
  /** `bus` is absent from reports written before the bus could be chosen: they ran on Redis Streams. */
  settings: { cycles: number; rate: number; bus?: 'redis-streams' | 'nats' };
  results: FaultResult[];
}

/** Violations listed in the report per fault; the JSON keeps them all. */
const LISTED = 20;

export function reportOf(settings: ChaosReport['settings'], results: FaultResult[]): ChaosReport {
  const cpu = cpus();
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', node: process.version },
    settings,
    results,
  };
}

const HEADER = [
  'fault',
  'cycles',
  'checkouts started (orch. + choreo.)',
  'reached terminal',
  'succeeded / failed',
  'invariant violations',
  'time to converge (s)',
];

function rowOf(r: FaultResult): string[] {
  const started = r.started.orchestrated + r.started.choreographed;
  return [
    r.fault,
    String(r.cycles),
    `${started} (${r.started.orchestrated} + ${r.started.choreographed})`,
    `${r.terminal} / ${started}`,
    `${r.outcomes.succeeded} / ${r.outcomes.failed}`,
    String(r.violations.length),
    r.convergeSeconds.toFixed(1),
  ];
}

/** The table as Markdown, every column padded so it also reads as plain text in a terminal. */
export function tableOf(results: readonly FaultResult[]): string {
  const rows = [HEADER, ...results.map(rowOf)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
}

/** Details (a crashed service's output...) are kept whole in chaos.json. */
const shortened = (detail: string): string => (detail.length <= 400 ? detail : `${detail.slice(0, 400)}...`).replace(/\s+/g, ' ');

const meanOf = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

function markdownOf(report: ChaosReport): string {
  const { results, settings, machine } = report;
  const violations = results.flatMap((r) =>
    r.violations.length === 0
      ? []
      : [
          `### ${r.fault}`,
          '',
          ...r.violations.slice(0, LISTED).map((v) => `- ${v.invariant}: ${v.subject}: ${shortened(v.detail)}`),
          ...(r.violations.length > LISTED ? [`- ... ${r.violations.length - LISTED} more in chaos.json`] : []),
          '',
        ],
  );
  return [
    '# Chaos run',
    '',
    `${report.generatedAt}, ${machine.cpus} x ${machine.cpuModel}, Node ${machine.node}. ${settings.cycles} cycles per fault under a steady ${settings.rate} checkouts/s, both styles alternating, on ${settings.bus === 'nats' ? 'NATS JetStream (a three-node cluster, streams replicated three times)' : 'Redis Streams'}.`,
    '',
    tableOf(results),
    '',
    '## Faults',
    '',
    ...results.map(
      (r) =>
        `- **${r.fault}**: ${r.description}. Each hit lasted ${meanOf(r.hitSeconds).toFixed(1)} s on average until the system was whole again; ` +
        `${r.retriedStarts} start(s) went unanswered and were retried with their Idempotency-Key, ${r.shed} shed; phase ${r.seconds.toFixed(0)} s.`,
    ),
    '',
    '## Violations',
    '',
    ...(violations.length === 0 ? ['None.', ''] : violations),
  ].join('\n');
}

/** Writes `<outDir>/<timestamp>/chaos.md` and `chaos.json`; resolves with the folder. */
export async function writeReport(outDir: string, report: ChaosReport): Promise<string> {
  const folder = join(outDir, report.generatedAt.replace(/[:.]/g, '-'));
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'chaos.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(folder, 'chaos.md'), `${markdownOf(report)}\n`);
  return folder;
}
