import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvSchema } from '@app/config';
import { ROOT } from '@app/testing';
import { firstApiKey, startBanner } from '../../scripts/start-banner.mjs';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
/** Prose only: code spans, code blocks and link targets taken out. */
const proseOf = (markdown: string): string =>
  markdown
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '')
    .replace(/\]\([^)]*\)/g, ']');
const sectionOf = (markdown: string, heading: string): string => {
  const start = markdown.indexOf(heading);
  const next = markdown.indexOf('\n### ', start + heading.length);
  return markdown.slice(start, next === -1 ? undefined : next);
};

const readme = read('README.md');
const architecture = read('docs/architecture.md');
const adr0005 = read('docs/adr/0005-orchestration-persisted-state-machine.md');

/** The docs say what the code does. */
describe('the documentation', () => {
  it('lists every setting in the configuration table of the architecture', () => {
    const table = sectionOf(architecture, '### 8.6 Configuration');
    const missing = Object.keys(new EnvSchema()).filter((name) => !table.includes(`\`${name}\``) && !name.endsWith('_DATABASE_URL'));
    expect(missing).toEqual([]);
  });

  it('says a parked saga is retried on its own after SAGA_PARKED_RETRY_MS, not that it waits for an operator', () => {
    for (const [name, text] of Object.entries({ architecture, adr0005 })) {
      expect({ name, mentionsRetry: text.includes('SAGA_PARKED_RETRY_MS') }).toEqual({ name, mentionsRetry: true });
      expect({ name, waits: /parked until an operator|until\s+`POST \/api\/saga\/:id\/compensate` retries it/.test(text) }).toEqual({ name, waits: false });
    }
  });

  it('names every route open without a key in the README, and INTERNAL_API_KEY', () => {
    for (const path of ['/health', '/health/live', '/metrics', '/api-docs'])
      expect({ path, named: readme.includes(`\`${path}\``) }).toEqual({ path, named: true });
    expect(readme).toContain('`INTERNAL_API_KEY`');
  });

  it('has no sentences run together in its prose', () => {
    const files = ['README.md', 'docs/architecture.md', ...readdirSync(join(ROOT, 'docs/adr')).map((f) => `docs/adr/${f}`)];
    const runTogether = files.flatMap((file) => [...proseOf(read(file)).matchAll(/\S*[a-z]\.[A-Z][a-z]\S*/g)].map((m) => `${file}: ${m[0]}`));
    expect(runTogether).toEqual([]);
  });
});

describe('the npm start banner', () => {
  const apps = [
    { name: 'saga-orchestrator', port: 3010 },
    { name: 'checkout', port: 3000 },
    { name: 'event-store', port: 3020 },
  ];

  it('shows the first key of API_KEYS, the one the apps accept, in every call it suggests', () => {
    const banner = startBanner(apps, { API_KEYS: ' mykey , other' }).join('\n');
    expect(firstApiKey({ API_KEYS: ' mykey , other' })).toBe('mykey');
    const keys = [...banner.matchAll(/X-API-Key: ([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys)).toEqual(new Set(['mykey']));
    expect(startBanner(apps, {}).join('\n')).toContain('X-API-Key: dev-key');
  });

  it('gives the event store as a call with its key header, not as a bare URL a browser would get a 401 from', () => {
    const lines = startBanner(apps, {}).filter((line) => line.includes('/api/event-store/'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('-H "X-API-Key: dev-key"');
  });
});
