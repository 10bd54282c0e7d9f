import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ROOT } from '@app/testing';
import { COMPOSE_PATH, TRACING_PRELOAD, composeYaml } from '../../scripts/compose-file.mjs';
import { COMPOSE_CONFIG_PATH, composeTargets, prometheusYaml } from '../../scripts/prometheus-config.mjs';
import { HTTP_APPS, WORKERS, entryOf } from '../../scripts/system.mjs';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: unknown;
  volumes?: string[];
}

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const compose = parse(read(COMPOSE_PATH), { version: '1.1' }) as { services: Record<string, Service> };
const prometheus = parse(read(COMPOSE_CONFIG_PATH)) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
const hasDockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).error === undefined;

describe('docker/compose.yaml', () => {
  it('is committed as scripts/compose-file.mjs writes it (run it with --write after a change)', () => {
    expect(read(COMPOSE_PATH)).toBe(composeYaml());
  });

  it('runs every app and worker of scripts/system.mjs from the one image, with its database, Redis and participants', () => {
    for (const app of [...HTTP_APPS, ...WORKERS]) {
      const service = compose.services[app.name];
      expect(service).toBeDefined();
      expect(service?.command).toEqual(['node', '--import', TRACING_PRELOAD, entryOf(app.name)]);
      expect(service?.environment?.['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://jaeger:4318');
      expect(service?.image).toBe('checkout-sagas:local');
      expect(service?.healthcheck).toBeDefined();
      expect(service?.environment).toMatchObject({
        REDIS_URL: 'redis://redis:6379',
        INVENTORY_URL: 'http://inventory:3001',
        SAGA_DATABASE_URL: expect.stringContaining('@postgres:5432/'),
      });
    }
    for (const worker of WORKERS) expect(compose.services[worker.name]?.environment?.['METRICS_PORT']).toBe(String(worker.port));
  });

  it('starts PostgreSQL 16, Redis 7 with append-only persistence, Prometheus, Grafana with the dashboards, and the demo catalogue', () => {
    const { postgres, redis, prometheus: prom, grafana, seed } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:16/);
    expect(redis?.image).toMatch(/^redis:7/);
    expect(redis?.command).toEqual(['redis-server', '--appendonly', 'yes']);
    expect(prom?.volumes).toContain('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(grafana?.volumes).toEqual(
      expect.arrayContaining(['../grafana/provisioning:/etc/grafana/provisioning:ro', '../grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
    expect(seed?.command).toEqual(['node', 'scripts/seed-demo.mjs']);
  });

  (hasDockerCompose ? it : it.skip)('is accepted by `docker-compose config`', async () => {
    const { stdout } = await promisify(execFile)('docker-compose', ['-f', COMPOSE_PATH, '--profile', 'nats', 'config', '--services'], { cwd: ROOT });
    expect(stdout.trim().split('\n').sort()).toEqual(Object.keys(compose.services).sort());
  });
});

describe('docker/compose.yaml, profile nats', () => {
  it('runs a three-node JetStream cluster, routes between every pair, and gives the apps its three nodes and three replicas', () => {
    const nodes = ['nats-1', 'nats-2', 'nats-3'];
    for (const node of nodes) {
      const service = compose.services[node] as Service & { profiles?: string[] };
      expect(service.profiles).toEqual(['nats']);
      const command = service.command as string[];
      expect(command).toEqual(expect.arrayContaining(['--jetstream', '--cluster_name', 'checkout-sagas']));
      const routes = command[command.indexOf('--routes') + 1]!.split(',');
      expect(routes.sort()).toEqual(nodes.filter((other) => other !== node).map((other) => `nats://${other}:6222`));
    }
    for (const app of [...HTTP_APPS, ...WORKERS])
      expect(compose.services[app.name]?.environment).toMatchObject({
        BUS: '${BUS:-redis-streams}',
        NATS_URL: 'nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222',
        NATS_REPLICAS: '3',
      });
  });
});

describe('docker/prometheus/prometheus.yml', () => {
  it('is committed as scripts/prometheus-config.mjs writes it (run `node scripts/prometheus-config.mjs compose --write`)', () => {
    expect(read(COMPOSE_CONFIG_PATH)).toBe(prometheusYaml({ targets: composeTargets() }));
  });

  it('scrapes every app and worker by its Compose service name and port', () => {
    const scraped = Object.fromEntries(prometheus.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]));
    for (const app of [...HTTP_APPS, ...WORKERS]) expect(scraped[app.name]).toEqual([`${app.name}:${app.port}`]);
  });
});
