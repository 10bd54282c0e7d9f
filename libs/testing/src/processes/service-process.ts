import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { TRACING_PRELOAD, tracingRequested } from '@app/config';

export const ROOT = resolve(import.meta.dirname, '../../../..');

/** An app of `apps/`, run as production runs it: `node dist/apps/<app>/src/main.js`. */
export type ServiceName = string;

/** The variable that sets where an app's HTTP server listens; workers serve /health and /metrics on `METRICS_PORT`. */
const PORT_VARIABLE: Record<string, string> = {
  inventory: 'INVENTORY_PORT',
  orders: 'ORDERS_PORT',
  payments: 'PAYMENTS_PORT',
  'saga-orchestrator': 'SAGA_ORCHESTRATOR_PORT',
  checkout: 'CHECKOUT_PORT',
  'event-store': 'EVENT_STORE_PORT',
  console: 'CONSOLE_PORT',
  shipping: 'SHIPPING_PORT',
};
const portVariableOf = (name: ServiceName): string => PORT_VARIABLE[name] ?? 'METRICS_PORT';
const mainOf = (name: ServiceName): string => join(ROOT, 'dist/apps', name, 'src/main.js');

/** The apps that have an entry point (`apps/<app>/src/main.ts`). */
async function appNames(): Promise<string[]> {
  const entries = await readdir(join(ROOT, 'apps'), { withFileTypes: true });
  const apps = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const withMain = await Promise.all(
    apps.map((app) =>
      stat(join(ROOT, 'apps', app, 'src/main.ts')).then(
        () => app,
        () => undefined,
      ),
    ),
  );
  return withMain.filter((app) => app !== undefined);
}

async function newestSource(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const sources = entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(e.name));
  const times = await Promise.all(sources.map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs));
  return Math.max(0, ...times);
}

async function isBuildFresh(): Promise<boolean> {
  const apps = await appNames();
  const built = await Promise.all(
    apps.map((name) =>
      stat(mainOf(name)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  const sources = await Promise.all([...apps.map((name) => join(ROOT, 'apps', name, 'src')), join(ROOT, 'libs')].map(newestSource));
  return Math.min(...built) >= Math.max(...sources);
}

/**
 * Builds the apps (`npx nest build saga-orchestrator` compiles them all) unless dist is newer than
 * every source; test files running in parallel build once, behind a lock directory.
 */
export async function ensureFreshBuild(): Promise<void> {
  if (await isBuildFresh()) return;
  const lock = join(ROOT, 'dist/.e2e-build.lock');
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > 300_000) await rm(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    if (await isBuildFresh()) return;
    // An error elsewhere in the monorepo does not stop tsc from emitting; what matters is a fresh dist.
    await promisify(execFile)('npx', ['nest', 'build', 'saga-orchestrator'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
    if (!(await isBuildFresh())) throw new Error('`npx nest build saga-orchestrator` did not produce a fresh dist/');
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Every app process still running: none outlives the test process, even when a failing test skips its cleanup. */
const LIVE_CHILDREN = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of LIVE_CHILDREN) child.kill('SIGKILL');
});

/** One app in a process of its own, on a fixed port, that can be stopped, killed and started again. */
export class ServiceProcess {
  private child?: ChildProcess;
  private output = '';

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts the app with these settings (on top of PATH only) and waits until it answers. */
  static async start(name: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
    const service = new ServiceProcess(name, await freePort(), env);
    await service.restart();
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the app again on its port; `overrides` change its settings for this run only (fault injection...). */
  async restart(overrides: Record<string, string> = {}): Promise<void> {
    const env = {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...this.env,
      ...overrides,
      [portVariableOf(this.name)]: String(this.port),
    };
    // Tracing on: the SDK is preloaded, as the start script does; off, the app runs bare.
    const preload = tracingRequested(env) ? ['--import', join(ROOT, TRACING_PRELOAD)] : [];
    const child = spawn(process.execPath, [...preload, mainOf(this.name)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    this.child = child;
    // Never outlive the test process, even when a failing test skips its cleanup.
    LIVE_CHILDREN.add(child);
    child.once('exit', () => LIVE_CHILDREN.delete(child));
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`${this.name} exited (${code}) on start:\n${this.output.slice(-4_000)}`))),
    );
    await Promise.race([this.listening(), exited]);
    exited.catch(() => undefined);
  }

  /** Graceful stop (SIGTERM), as an orchestrator or the OS would stop it. */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  /** A crash: SIGKILL, nothing flushed, nothing released. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** Freezes the process (SIGSTOP): it keeps its connections and its claimed work but does nothing until {@link resume}. */
  pause(): void {
    if (this.running) this.child?.kill('SIGSTOP');
  }

  /** Thaws a paused process (SIGCONT). */
  resume(): void {
    if (this.running) this.child?.kill('SIGCONT');
  }

  /** What the process wrote, for the message of a failing test. */
  get logs(): string {
    return this.output;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  }

  private async listening(): Promise<void> {
    // Generous: several apps booting at once on a shared two-core machine (more with tracing's module hooks) take tens of seconds.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${this.url}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer on ${this.url}:\n${this.output.slice(-4_000)}`);
      await sleep(50);
    }
  }
}
