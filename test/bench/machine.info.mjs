// @ts-check
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The packages whose versions shape the numbers: the framework, drivers, HTTP stack and the bench's own tools. */
const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-fastify',
  'fastify',
  'ioredis',
  'pg',
  'typeorm',
  'prom-client',
  'undici',
  'hdr-histogram-js',
  'vega',
  'vega-lite',
  'cli-progress',
];

/** @param {string} name */
function versionOf(name) {
  try {
    // Read from node_modules directly: packages whose `exports` hide their package.json cannot be required for it.
    return /** @type {{ version: string }} */ (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8'))).version;
  } catch {
    return 'not installed';
  }
}

function osName() {
  try {
    return /PRETTY_NAME="?([^"\n]+)"?/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? `${os.type()} ${os.release()}`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

/** The server settings that move the bench's figures: a table never vacuumed (autovacuum off) costs more with every checkout. */
const POSTGRES_SETTINGS = ['autovacuum', 'synchronous_commit', 'fsync', 'shared_buffers'];

/**
 * PostgreSQL's version and the settings that shape the numbers, e.g. "15.19 (autovacuum on, ...)".
 * @param {string} url
 */
async function postgresDescription(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const version = String((await client.query('SHOW server_version')).rows[0]?.server_version ?? 'unknown');
    const { rows } = await client.query('SELECT name, setting FROM pg_settings WHERE name = ANY($1) ORDER BY name', [POSTGRES_SETTINGS]);
    // shared_buffers is counted in 8 kB pages.
    const settings = rows.map((r) => `${r.name} ${r.name === 'shared_buffers' ? `${Math.round((Number(r.setting) * 8) / 1024)} MB` : r.setting}`);
    return `${version} (${settings.join(', ')})`;
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** @param {string} url */
async function redisVersion(url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    redis.disconnect();
  }
}

/**
 * The machine and the software the numbers were measured on.
 * @param {{ databaseUrl: string, redisUrl: string }} options
 */
export async function describeMachine({ databaseUrl, redisUrl }) {
  const cpus = os.cpus();
  const project = /** @type {{ name: string, version: string }} */ (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')));
  return {
    machine: {
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      os: osName(),
      kernel: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    versions: {
      project: `${project.name} ${project.version}`,
      commit: gitCommit(),
      node: process.version,
      postgres: await postgresDescription(databaseUrl),
      redis: await redisVersion(redisUrl),
      packages: Object.fromEntries(PACKAGES.map((name) => [name, versionOf(name)])),
    },
  };
}
