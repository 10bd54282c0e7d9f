import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@app/testing';
import { type ScrapeTarget, prometheusYaml } from '../../scripts/prometheus-config.mjs';

/** Whether `binary` runs here; the CI script installs Debian's `prometheus` package, which brings both. */
export const isInstalled = (binary: 'prometheus' | 'promtool'): boolean => spawnSync(binary, ['--version'], { stdio: 'ignore' }).error === undefined;

/** `promtool check metrics` on an exposition: its exit code and what it complained about. */
export function promtoolCheckMetrics(exposition: string): { status: number | null; problems: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: result.status, problems: `${result.stdout}${result.stderr}`.trim() };
}

interface QueryAnswer {
  status: string;
  error?: string;
  data: { result: unknown[] };
}

/** A real Prometheus in a temporary directory, scraping the given apps with the generated configuration. */
export class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private output: { text: string },
  ) {}

  static async start(targets: readonly ScrapeTarget[], scrapeInterval = '1s'): Promise<PrometheusServer> {
    const dir = await mkdtemp(join(tmpdir(), 'prometheus-test-'));
    const config = join(dir, 'prometheus.yml');
    await writeFile(config, prometheusYaml({ targets, scrapeInterval }));
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    child.once('exit', () => process.off('exit', orphan));
    const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`, output);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${output.text}`);
        if (!(await fetch(`${server.url}/-/ready`)).ok) throw new Error('prometheus is not ready');
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return server;
  }

  /** The series an instant query returns now. */
  async query(expr: string): Promise<unknown[]> {
    const answer = (await (await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as QueryAnswer;
    if (answer.status !== 'success') throw new Error(`${expr}: ${answer.error}`);
    return answer.data.result;
  }

  /** Each scrape target (by job) with its health, and its last error when it has one. */
  async targetHealth(): Promise<Record<string, string>> {
    const answer = (await (await fetch(`${this.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    };
    return Object.fromEntries(answer.data.activeTargets.map((t) => [t.labels.job, [t.health, t.lastError].filter(Boolean).join(': ')]));
  }

  get logs(): string {
    return this.output.text;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((done) => this.child.once('exit', done));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
