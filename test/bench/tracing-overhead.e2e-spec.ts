import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { AppConfig } from '@app/config';
import { ROOT, TEST_API_KEY, type TestDatabase, createTestDatabase, deleteKeysWithPrefix, ensureFreshBuild, testConfig } from '@app/testing';

/** Two starts of the whole system, a few seconds of load in each. */
const RUN_DEADLINE_MS = 6 * 60_000;

/** Runs `npm run bench:tracing -- --smoke ...` with `env`, and resolves with its exit code and output. */
function runTracingBench(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['test/bench/tracing-overhead.mjs', '--smoke', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

interface Sample {
  mode: string;
  style: string;
  sent: number;
  cpuMsPerCheckout: number;
  transactionsPerCheckout: number;
  spansPerCheckout: number;
}

/**
 * The tracing overhead bench starts the whole system itself, as `npm start` does, once with tracing
 * off and once with every checkout sampled; here on a database and a Redis prefix of the test's own.
 */
describe('npm run bench:tracing -- --smoke', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let outDir: string;

  beforeAll(async () => {
    await ensureFreshBuild();
    config = testConfig();
    database = await createTestDatabase('tracing_bench');
    outDir = await mkdtemp(join(tmpdir(), 'tracing-report-'));
  });

  afterAll(async () => {
    await database?.drop();
    await rm(outDir, { recursive: true, force: true });
    const redis = new Redis(config.REDIS_URL);
    await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    redis.disconnect();
  });

  it(
    'measures the CPU per checkout with tracing off and on, counts the spans exported, and states the overhead',
    async () => {
      const databases = Object.fromEntries(Object.keys(config).filter((k) => k.endsWith('_DATABASE_URL')).map((k) => [k, database.url]));
      const { code, output } = await runTracingBench(['--styles', 'orchestrated', '--out', outDir], {
        ...databases,
        DATABASE_URL: database.url,
        REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
        BUS: 'redis-streams',
        API_KEYS: TEST_API_KEY,
        INTERNAL_API_KEY: TEST_API_KEY,
        // Jest's own flag is not the apps'.
        NODE_OPTIONS: '',
      });
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Report:') });

      const [folder] = await readdir(outDir);
      const report = JSON.parse(await readFile(join(outDir, folder!, 'tracing.json'), 'utf8'));
      const samples = report.samples as Sample[];
      expect(samples.map((s) => [s.mode, s.style])).toEqual([
        ['off', 'orchestrated'],
        ['100%', 'orchestrated'],
      ]);
      const [off, on] = samples as [Sample, Sample];
      for (const sample of samples) {
        expect(sample.sent).toBeGreaterThan(0);
        expect(sample.cpuMsPerCheckout).toBeGreaterThan(0);
        expect(sample.transactionsPerCheckout).toBeGreaterThan(0);
      }
      // Off exports nothing; on, each checkout's spans reach the receiver (HTTP, steps, SQL, Redis, of every service).
      expect(off.spansPerCheckout).toBe(0);
      expect(on.spansPerCheckout).toBeGreaterThan(10);
      const overhead = report.summary.find((s: { mode: string }) => s.mode === '100%')?.overheadPercent;
      expect(overhead).toEqual(expect.any(Number));
      const markdown = await readFile(join(outDir, folder!, 'tracing.md'), 'utf8');
      expect(markdown).toContain('overhead against off');
      expect(markdown).toContain(`| orchestrated | 100% |`);
    },
    RUN_DEADLINE_MS,
  );
});
