// @ts-check
import { fixed, head, row } from './markdown.table.mjs';

/** @param {import('./report.markdown.mjs').BenchReport} r */
export function units(r) {
  const lines = ['## Units that hold across machines', ''];
  const { rest, calibration: cal } = r;
  if (rest === null || cal === null) return [...lines, 'Not measured (`--no-cost`).'];
  lines.push(
    `**At rest**: with no traffic for ${fixed(rest.seconds, 1)} s, the system's processes kept **${fixed(100 * rest.share)}% of the ${r.machine.cores} cores** busy (${rest.coresBusy.toFixed(3)} cores; the whole machine, other tenants included, ${fixed(100 * rest.machineShare)}%). Read from \`/proc\` like the cost step.`,
    '',
    ...head(['process', 'CPU ms', 'cores busy']),
    ...rest.components.filter((c) => c.cpuMs > 0).map((c) => row([c.name, fixed(c.cpuMs, 0), c.coresBusy.toFixed(4)])),
    '',
    `**Calibration** (${cal.method}, same run: \`${cal.command}\`): ${cal.transactions.toLocaleString('en-US')} transactions in ${cal.seconds} s (${cal.transactionsPerSecond.toLocaleString('en-US')}/s); **one transaction costs ${cal.cpuMsPerTransaction.toFixed(3)} ms of CPU** (PostgreSQL ${cal.postgresMsPerTransaction.toFixed(3)} ms, its client ${cal.clientMsPerTransaction.toFixed(3)} ms; PostgreSQL's CPU at rest taken out).`,
    '',
  );
  const measured = r.styles.filter((s) => s.cost !== null);
  if (measured.length > 0 && cal.cpuMsPerTransaction > 0) {
    const eq = (/** @type {number} */ ms) => fixed(ms / cal.cpuMsPerTransaction);
    lines.push(
      'CPU per checkout (the cost step below), in milliseconds and in transactions of the calibration:',
      '',
      ...head([
        'style',
        'rate',
        'ms per checkout',
        'pgbench -N transactions per checkout',
        'of which PostgreSQL (ms / transactions)',
        'every process of the machine, bench and other tenants included (ms / transactions)',
      ]),
      ...measured.map((s) => {
        const c = /** @type {NonNullable<typeof s.cost>} */ (s.cost);
        const postgres = c.components.find((p) => p.name === 'postgres')?.msPerCheckout ?? 0;
        const machine = (c.machineBusyShare * r.machine.cores * c.seconds * 1_000) / Math.max(1, c.checkouts);
        return row([
          s.style,
          `${c.rate}/s`,
          fixed(c.totalMsPerCheckout),
          eq(c.totalMsPerCheckout),
          `${fixed(postgres)} / ${eq(postgres)}`,
          `${fixed(machine)} / ${eq(machine)}`,
        ]);
      }),
      '',
    );
  }
  return lines;
}

/** @param {number | null} n */
const ms = (n) => (n === null ? '-' : fixed(n));

/** @param {import('./report.markdown.mjs').BenchReport} r */
export function hops(r) {
  const lines = ['## Where each millisecond goes, hop by hop', ''];
  const measured = r.styles.filter((s) => s.hops !== null && s.hops !== undefined);
  if (measured.length === 0) return [...lines, 'Not measured (`--no-cost`).', ''];
  lines.push(
    'Over the cost step, from what the system records: the time of each hop (mean, p50, p95) from its timestamps, then the mean split into',
    'waiting (queued on the bus, read pauses, in-process queues), HTTP to the participants (client side; the participant statements',
    "are inside it), the coordinator's own database writes, the effect's publish (recorded → on the bus) and the rest (decoding, deciding,",
    'event-loop and pool waits). "-" is a part the hop does not have or that cannot be derived; the list under each table says what is missing.',
    '',
  );
  for (const s of measured) {
    const h = /** @type {NonNullable<typeof s.hops>} */ (s.hops);
    lines.push(
      `### ${s.style}: ${h.sampled} checkouts`,
      '',
      `Source: ${h.source}.`,
      '',
      ...head(['hop', 'n', 'mean ms', 'p50 ms', 'p95 ms', 'waiting', 'HTTP', 'participant SQL (in HTTP)', 'own writes', 'publish', 'rest']),
      ...h.hops.map((x) =>
        row([
          x.hop,
          x.count,
          fixed(x.meanMs),
          fixed(x.p50Ms),
          fixed(x.p95Ms),
          ms(x.waitingMs),
          ms(x.httpMs),
          ms(x.participantDatabaseMs),
          ms(x.ownDatabaseMs),
          ms(x.publishMs),
          ms(x.restMs),
        ]),
      ),
      '',
      'Not derivable without a change to the apps:',
      '',
      ...h.missing.map((m) => `- ${m}`),
      '',
    );
  }
  return lines;
}
