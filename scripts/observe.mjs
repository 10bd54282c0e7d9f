#!/usr/bin/env node
/**
 * Runs a real Prometheus against the apps `npm start` runs on this machine, with the scrape
 * configuration of scripts/prometheus-config.mjs, until Ctrl-C. Needs the `prometheus` binary on
 * PATH (Debian/Ubuntu: `apt-get install -y prometheus`; only the binary is used, not the service) or
 * PROMETHEUS_BIN. PROMETHEUS_PORT sets where its UI answers (default 9090).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTargets, prometheusYaml } from './prometheus-config.mjs';

const binary = process.env.PROMETHEUS_BIN ?? 'prometheus';
const port = process.env.PROMETHEUS_PORT ?? '9090';
const dir = join(tmpdir(), 'checkout-sagas-prometheus');

if (spawnSync(binary, ['--version'], { stdio: 'ignore' }).error) {
  console.error(`No Prometheus binary (${binary}). Install one, e.g. \`apt-get install -y prometheus\`, or set PROMETHEUS_BIN.`);
  process.exit(1);
}

mkdirSync(join(dir, 'data'), { recursive: true });
const config = join(dir, 'prometheus.yml');
writeFileSync(config, prometheusYaml({ targets: localTargets(), scrapeInterval: '2s' }));

const prometheus = spawn(
  binary,
  [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--storage.tsdb.retention.time=1d',
    '--log.level=warn',
    `--web.listen-address=127.0.0.1:${port}`,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => prometheus.kill(signal));
prometheus.on('exit', (code) => process.exit(code ?? 0));

console.log(`Prometheus on http://127.0.0.1:${port} scraping every app of scripts/system.mjs (data in ${dir}).`);
console.log(`  Targets:  http://127.0.0.1:${port}/targets`);
console.log(`  Try:      sum by (pattern, outcome) (rate(checkout_duration_seconds_count[1m]))`);
console.log('  The Grafana dashboards of grafana/dashboards/ query the same metrics; the Compose stack loads them.');
