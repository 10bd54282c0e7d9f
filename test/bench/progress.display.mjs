// @ts-check
import cliProgress from 'cli-progress';

/**
 * A progress bar per load step on a terminal (cli-progress draws nothing when stderr is not one),
 * and one summary line per step on stdout in every case, so logs of CI runs tell the story too.
 */
export class ProgressDisplay {
  constructor() {
    this.bar = new cliProgress.SingleBar(
      {
        format: '{label} |{bar}| {value}/{total}s | sent {sent} done {done} outstanding {outstanding} | p99 {p99} ms',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.active = false;
  }

  /** @param {string} label @param {number} seconds */
  begin(label, seconds) {
    this.bar.start(Math.ceil(seconds), 0, { label, sent: 0, done: 0, outstanding: 0, p99: 0 });
    this.active = true;
  }

  /** @param {number} elapsedSeconds @param {{ sent: number, done: number, outstanding: number, p99: number }} counts */
  update(elapsedSeconds, counts) {
    if (this.active) this.bar.update(Math.floor(elapsedSeconds), { ...counts, p99: counts.p99.toFixed(1) });
  }

  /** @param {import('./load.step.mjs').StepReport} step */
  end(step) {
    if (this.active) this.bar.stop();
    this.active = false;
    const e2e = step.endToEnd;
    const ack = step.ack === null ? '' : ` | 202 p99 ${step.ack.p99} ms`;
    this.note(
      `${step.label.padEnd(16)} sent ${step.sent} completed ${step.completed} (${step.throughput}/s) | e2e p50 ${e2e.p50} p95 ${e2e.p95} p99 ${e2e.p99} ms${ack}` +
        ` | errors ${step.outcomes['error']} unfinished ${step.outcomes['unfinished']} mismatched ${step.mismatched}`,
    );
  }

  /** @param {string} line */
  note(line) {
    console.log(line);
  }
}
