import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '@app/testing';
import { DASHBOARDS_DIR, type GrafanaDashboard, RATE_WINDOW, renderDashboards } from '../../scripts/grafana-dashboards.mjs';
import { metricNamesOf, sampleNamesOf } from './promql.names.js';

const committed = (file: string): string => readFileSync(join(ROOT, DASHBOARDS_DIR, file), 'utf8');
const dashboards = renderDashboards().map(({ file, json }) => ({ file, json, dashboard: JSON.parse(json) as GrafanaDashboard }));

describe('metricNamesOf', () => {
  it.each([
    ['sum by (pattern) (rate(checkout_duration_seconds_count[$__rate_interval]))', ['checkout_duration_seconds_count']],
    ['histogram_quantile(0.95, sum by (step, le) (rate(x_bucket{pattern="orchestrated", step!~"a|b"}[1m])))', ['x_bucket']],
    ['sum(rate(a_total{reason="by (x)"}[5m])) / sum(rate(b_count[5m])) or vector(0)', ['a_total', 'b_count']],
    ['max by (topic, group) (stream_group_lag) > bool 0 unless on (group) up', ['stream_group_lag', 'up']],
  ])('%s', (expr, names) => {
    expect(metricNamesOf(expr)).toEqual(names);
  });

  it('reads sample names from an exposition, histogram series included', () => {
    const text = '# HELP a_total A\n# TYPE a_total counter\na_total{app="x"} 1\nh_bucket{le="0.001"} 0\nh_sum 0\nh_count 0\n';
    expect([...sampleNamesOf(text)]).toEqual(['a_total', 'h_bucket', 'h_sum', 'h_count']);
  });
});

describe('grafana dashboards', () => {
  it('are committed as scripts/grafana-dashboards.mjs renders them (run it with --write after a change)', () => {
    expect(readdirSync(join(ROOT, DASHBOARDS_DIR)).sort()).toEqual(dashboards.map((d) => d.file).sort());
    for (const { file, json } of dashboards) expect(committed(file)).toBe(json);
  });

  it('compare the styles, show the event bus, and the internals of each style', () => {
    expect(dashboards.map((d) => d.dashboard.uid)).toEqual(['checkout-comparison', 'event-bus', 'orchestrated-internals', 'choreographed-internals']);
  });

  it('query the provisioned datasource from every panel, each with at least one metric', () => {
    const provisioned = parse(readFileSync(join(ROOT, 'grafana/provisioning/datasources/prometheus.yaml'), 'utf8')) as { datasources: { uid: string }[] };
    const uids = provisioned.datasources.map((d) => d.uid);
    for (const { dashboard } of dashboards) {
      const panels = dashboard.panels.filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(3);
      for (const panel of panels) {
        expect(uids).toContain(panel.datasource?.uid);
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect(metricNamesOf(target.expr).length).toBeGreaterThan(0);
      }
    }
  });

  it('lay panels out inside the 24-column grid without overlapping', () => {
    for (const { dashboard } of dashboards) {
      const cells = new Set<string>();
      for (const { gridPos: g } of dashboard.panels) {
        expect(g.x + g.w).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
      }
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    }
  });

  it('use only the rate window Grafana fills in', () => {
    for (const { dashboard } of dashboards) {
      for (const target of dashboard.panels.flatMap((p) => p.targets ?? [])) {
        for (const window of target.expr.matchAll(/\[([^\]]+)\]/g)) expect(window[1]).toBe(RATE_WINDOW);
      }
    }
  });

  it('link a checkout typed in their box to its trace in the provisioned Jaeger, for either style', () => {
    const provisioned = parse(readFileSync(join(ROOT, 'grafana/provisioning/datasources/jaeger.yaml'), 'utf8')) as {
      datasources: { type: string; url: string }[];
    };
    expect(provisioned.datasources).toEqual([expect.objectContaining({ type: 'jaeger', url: 'http://jaeger:16686' })]);
    for (const { dashboard } of dashboards) {
      expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ type: 'textbox', name: 'checkout' }));
      const urls = dashboard.links.map((link) => decodeURIComponent(link.url));
      expect(urls).toEqual([
        'http://localhost:16686/search?service=checkout&tags={"checkout.id":"${checkout}"}',
        'http://localhost:16686/search?service=saga-orchestrator&tags={"checkout.id":"${checkout}"}',
      ]);
    }
  });
});
