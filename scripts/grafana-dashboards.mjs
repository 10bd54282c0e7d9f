#!/usr/bin/env node
/**
 * The Grafana dashboards, as data: each panel is a title, its PromQL queries and a width. Rendering
 * lays the panels out left to right in rows and writes grafana/dashboards/<uid>.json, which Grafana
 * loads through grafana/provisioning/dashboards/dashboards.yaml.
 *
 *   node scripts/grafana-dashboards.mjs --write   # regenerate grafana/dashboards/*.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARDS_DIR = 'grafana/dashboards';

/** The provisioned Prometheus datasource (grafana/provisioning/datasources/prometheus.yaml). */
export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };

/** Grafana picks the window from the scrape interval and the zoom; direct queries substitute their own. */
export const RATE_WINDOW = '$__rate_interval';

const rate = (selector) => `rate(${selector}[${RATE_WINDOW}])`;
const quantile = (q, metric, by, filter = '') => `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${rate(`${metric}_bucket${filter}`)}))`;
const mean = (metric, by, filter = '') =>
  `sum by (${by.join(', ')}) (${rate(`${metric}_sum${filter}`)}) / sum by (${by.join(', ')}) (${rate(`${metric}_count${filter}`)})`;
const QUANTILES = [
  [0.5, 'p50'],
  [0.95, 'p95'],
  [0.99, 'p99'],
];

/** A panel: `queries` are `[expr, legend]` pairs. */
const panel = (title, queries, { unit = 'short', width = 12, type = 'timeseries', description } = {}) => ({ title, queries, unit, width, type, description });
const latencyPanel = (title, metric, filter, by = []) =>
  panel(
    title,
    QUANTILES.map(([q, label]) => [quantile(q, metric, by, filter), [label, ...by.map((l) => `{{${l}}}`)].join(' ')]),
    { unit: 's' },
  );

const ORCHESTRATED = '{pattern="orchestrated"}';
const CHOREOGRAPHED = '{pattern="choreographed"}';
const CHECKOUT_STREAM = '{topic="ecommerce.checkout.events"}';

const comparison = {
  uid: 'checkout-comparison',
  title: 'Checkout: orchestrated vs choreographed',
  description:
    'The same checkout coordinated two ways, over the same participants. Durations run from the request that starts a checkout to its terminal state.',
  rows: [
    {
      title: 'Throughput and outcomes',
      panels: [
        panel('Checkouts finished per second', [[`sum by (pattern) (${rate('checkout_duration_seconds_count')})`, '{{pattern}}']], { unit: 'ops' }),
        panel('Outcomes per second', [[`sum by (pattern, outcome) (${rate('checkout_duration_seconds_count')})`, '{{pattern}} {{outcome}}']], { unit: 'ops' }),
        panel(
          'Success ratio',
          [
            [
              `sum by (pattern) (${rate('checkout_duration_seconds_count{outcome="succeeded"}')}) / sum by (pattern) (${rate('checkout_duration_seconds_count')})`,
              '{{pattern}}',
            ],
          ],
          { unit: 'percentunit', width: 8, description: 'Share of finished checkouts that succeeded.' },
        ),
        panel(
          'Compensation ratio',
          [
            [`sum(${rate('saga_failed_total{step!="stock"}')}) / sum(${rate(`checkout_duration_seconds_count${ORCHESTRATED}`)})`, 'orchestrated'],
            [`sum(${rate('saga_forced_compensations_total')}) / sum(${rate(`checkout_duration_seconds_count${ORCHESTRATED}`)})`, 'orchestrated, forced'],
            [`sum(${rate('saga_choreo_failed_total{step!="stock"}')}) / sum(${rate(`checkout_duration_seconds_count${CHOREOGRAPHED}`)})`, 'choreographed'],
          ],
          {
            unit: 'percentunit',
            width: 8,
            description:
              'Share of finished checkouts that were compensated after a step had taken effect (order, payment or confirmation), so something was undone; the orchestrated line includes compensations forced by an operator or the deadline (also of finished sagas), shown on their own as "orchestrated, forced".',
          },
        ),
        panel(
          'Failure ratio',
          [
            [
              `sum by (pattern) (${rate('checkout_duration_seconds_count{outcome="failed"}')}) / sum by (pattern) (${rate('checkout_duration_seconds_count')})`,
              '{{pattern}}',
            ],
          ],
          { unit: 'percentunit', width: 8, description: 'Share of finished checkouts that failed, for any reason.' },
        ),
      ],
    },
    {
      title: 'Checkout latency',
      panels: [
        latencyPanel('Orchestrated: p50 / p95 / p99', 'checkout_duration_seconds', ORCHESTRATED),
        latencyPanel('Choreographed: p50 / p95 / p99', 'checkout_duration_seconds', CHOREOGRAPHED),
        panel('p95 by style and outcome', [[quantile(0.95, 'checkout_duration_seconds', ['pattern', 'outcome']), '{{pattern}} {{outcome}}']], { unit: 's' }),
        panel('Mean by style and outcome', [[mean('checkout_duration_seconds', ['pattern', 'outcome']), '{{pattern}} {{outcome}}']], { unit: 's' }),
      ],
    },
    {
      title: 'Time per step',
      panels: [
        panel('Mean time per step', [[mean('checkout_step_duration_seconds', ['pattern', 'step']), '{{pattern}} {{step}}']], { unit: 's' }),
        panel('p95 time per step', [[quantile(0.95, 'checkout_step_duration_seconds', ['pattern', 'step']), '{{pattern}} {{step}}']], { unit: 's' }),
        panel('Participant calls p95, by caller', [[quantile(0.95, 'external_service_call_duration_seconds', ['app', 'service']), '{{app}} → {{service}}']], {
          unit: 's',
          width: 24,
        }),
      ],
    },
    {
      title: 'Failures',
      panels: [
        panel('Orchestrated failures by step and reason', [[`sum by (step, reason) (${rate('saga_failed_total')})`, '{{step}} {{reason}}']], { unit: 'ops' }),
        panel('Choreographed failures by step and reason', [[`sum by (step, reason) (${rate('saga_choreo_failed_total')})`, '{{step}} {{reason}}']], {
          unit: 'ops',
        }),
      ],
    },
  ],
};

const eventBus = {
  uid: 'event-bus',
  title: 'Event bus: Redis Streams',
  description: 'Events published and consumed, consumer-group lag and pending entries, redeliveries and dead letters.',
  rows: [
    {
      title: 'Events',
      panels: [
        panel('Published per second by type', [[`sum by (type) (${rate('events_published_total')})`, '{{type}}']], { unit: 'ops' }),
        panel('Consumed per second by group and type', [[`sum by (consumer, type) (${rate('events_consumed_total')})`, '{{consumer}} {{type}}']], {
          unit: 'ops',
        }),
        panel('Published per second by stream', [[`sum by (topic) (${rate('events_published_total')})`, '{{topic}}']], { unit: 'ops' }),
        panel('Latency p95 by type (occurred to handled)', [[quantile(0.95, 'event_latency_seconds', ['type']), '{{type}}']], { unit: 's' }),
      ],
    },
    {
      title: 'Consumer groups',
      panels: [
        panel('Lag per group', [['max by (topic, group) (stream_group_lag)', '{{group}} @ {{topic}}']], {
          description: 'Entries of the stream not yet delivered to the group.',
        }),
        panel('Pending per group', [['max by (topic, group) (stream_group_pending)', '{{group}} @ {{topic}}']], {
          description: 'Entries delivered to the group and not acknowledged yet.',
        }),
        panel('Redeliveries per second', [[`sum by (topic, consumer) (${rate('stream_redeliveries_total')})`, '{{consumer}} @ {{topic}}']], { unit: 'ops' }),
        panel('Dead letters since start', [['sum by (topic, consumer) (stream_dead_letters_total)', '{{consumer}} @ {{topic}}']], {
          description: 'Entries moved to <stream>.dlq after their attempts, per consumer group, since each worker started.',
        }),
      ],
    },
  ],
};

const orchestrated = {
  uid: 'orchestrated-internals',
  title: 'Orchestrated saga: internals',
  description: 'The saga-orchestrator: sagas by state, time per state and step, participant calls, transition events.',
  rows: [
    {
      title: 'Sagas',
      panels: [
        panel(
          'Started, completed, failed per second',
          [
            [`sum(${rate('saga_started_total')})`, 'started'],
            [`sum(${rate('saga_completed_total')})`, 'completed'],
            [`sum(${rate('saga_failed_total')})`, 'failed'],
            [`sum by (after) (${rate('saga_forced_compensations_total')})`, 'forced compensations ({{after}})'],
          ],
          { unit: 'ops' },
        ),
        panel('Sagas not yet over, by state', [['max by (state) (saga_instances)', '{{state}}']], { type: 'bargauge' }),
        panel('Failures by step and reason', [[`sum by (step, reason) (${rate('saga_failed_total')})`, '{{step}} {{reason}}']], { unit: 'ops' }),
        panel(
          'Saga execution p50 / p99 by outcome',
          [
            [quantile(0.5, 'saga_execution_duration_seconds', ['outcome']), 'p50 {{outcome}}'],
            [quantile(0.99, 'saga_execution_duration_seconds', ['outcome']), 'p99 {{outcome}}'],
          ],
          { unit: 's' },
        ),
      ],
    },
    {
      title: 'Time per state and step',
      panels: [
        panel('Mean time in state', [[mean('saga_state_duration_seconds', ['state']), '{{state}}']], { unit: 's' }),
        panel('p95 time in state', [[quantile(0.95, 'saga_state_duration_seconds', ['state']), '{{state}}']], { unit: 's' }),
        panel('p95 time per step', [[quantile(0.95, 'checkout_step_duration_seconds', ['step'], ORCHESTRATED), '{{step}}']], { unit: 's' }),
        latencyPanel('Checkout p50 / p95 / p99 by outcome', 'checkout_duration_seconds', ORCHESTRATED, ['outcome']),
      ],
    },
    {
      title: 'Participants and transition events',
      panels: [
        panel(
          'Calls per second by service and outcome',
          [[`sum by (service, outcome) (${rate('external_service_call_duration_seconds_count{app="saga-orchestrator"}')})`, '{{service}} {{outcome}}']],
          { unit: 'ops' },
        ),
        panel(
          'Call p95 by operation',
          [[quantile(0.95, 'external_service_call_duration_seconds', ['service', 'operation'], '{app="saga-orchestrator"}'), '{{service}} {{operation}}']],
          { unit: 's' },
        ),
        panel('Circuit state by service', [['max by (service) (external_service_circuit_state{app="saga-orchestrator"})', '{{service}}']], {
          description: '0 closed, 1 open, 2 half-open, 3 isolated.',
        }),
        panel('Transition events published per second', [[`sum(${rate('events_published_total{topic="ecommerce.saga.events"}')})`, 'SagaTransitioned']], {
          unit: 'ops',
        }),
      ],
    },
  ],
};

const choreographed = {
  uid: 'choreographed-internals',
  title: 'Choreographed saga: internals',
  description: 'The choreography workers: outcomes and steps derived from the checkout events, per-worker throughput, lag, retries and participant calls.',
  rows: [
    {
      title: 'Checkouts',
      panels: [
        panel(
          'Succeeded and failed per second',
          [
            [`sum(${rate('saga_choreo_success_total')})`, 'succeeded'],
            [`sum(${rate('saga_choreo_failed_total')})`, 'failed'],
          ],
          { unit: 'ops' },
        ),
        panel('Failures by step and reason', [[`sum by (step, reason) (${rate('saga_choreo_failed_total')})`, '{{step}} {{reason}}']], { unit: 'ops' }),
        latencyPanel('Checkout p50 / p95 / p99 by outcome', 'checkout_duration_seconds', CHOREOGRAPHED, ['outcome']),
        panel('p95 time per step', [[quantile(0.95, 'checkout_step_duration_seconds', ['step'], CHOREOGRAPHED), '{{step}}']], { unit: 's' }),
        panel('Stuck checkouts', [['max(choreo_checkouts_stuck)', 'past their deadline']], {
          width: 24,
          description: 'Accepted checkouts with no terminal event after CHECKOUT_DEADLINE_MS.',
        }),
      ],
    },
    {
      title: 'Workers',
      panels: [
        panel('Events handled per second by worker', [[`sum by (consumer) (${rate(`events_consumed_total${CHECKOUT_STREAM}`)})`, '{{consumer}}']], {
          unit: 'ops',
        }),
        panel('Handling latency p95 by event type', [[quantile(0.95, 'event_latency_seconds', ['type'], CHECKOUT_STREAM), '{{type}}']], { unit: 's' }),
        panel('Lag by worker group', [[`max by (group) (stream_group_lag${CHECKOUT_STREAM})`, '{{group}}']]),
        panel('Pending by worker group', [[`max by (group) (stream_group_pending${CHECKOUT_STREAM})`, '{{group}}']]),
        panel(
          'Participant calls per second by worker',
          [[`sum by (app, service, outcome) (${rate('external_service_call_duration_seconds_count{app=~".+-worker"}')})`, '{{app}} → {{service}} {{outcome}}']],
          { unit: 'ops' },
        ),
        panel(
          'Redeliveries and dead letters',
          [
            [`sum by (consumer) (${rate(`stream_redeliveries_total${CHECKOUT_STREAM}`)})`, 'redelivered {{consumer}}'],
            [`sum by (consumer) (stream_dead_letters_total${CHECKOUT_STREAM})`, 'dead letters {{consumer}}'],
          ],
          { description: 'Redeliveries per second, and dead letters since each worker started.' },
        ),
      ],
    },
  ],
};

const SHIPPING_STREAM = '{topic="ecommerce.shipping.events"}';

/** Parcels after a successful checkout, of either style: the shipping app's own choreography. */
const parcels = {
  title: 'Parcels (shipping)',
  panels: [
    panel('Parcel events per second by type', [[`sum by (type) (${rate(`events_published_total${SHIPPING_STREAM}`)})`, '{{type}}']], {
      unit: 'ops',
      description: 'ParcelRegistered (ColisCree), ParcelShipped, ParcelDelivered, IncidentDeclared, IncidentResolved, as the shipping app publishes them.',
    }),
    panel('Parcel transitions per second by status reached', [[`sum by (to) (${rate('parcel_transitions_total')})`, '{{to}}']], {
      unit: 'ops',
      description: 'Carrier callbacks, the deadline and resolutions that moved a parcel; repeated callbacks and refusals count nothing.',
    }),
    panel('Parcel queries by cache result', [[`sum by (query, result) (${rate('parcel_cache_requests_total')})`, '{{query}} {{result}}']], {
      unit: 'ops',
      description: 'GET /parcels/:id (parcel) and GET /parcels?clientId= (client), served from the Redis cache (hit) or the read model (miss).',
    }),
    panel('Shipping lag on the checkout stream', [['max(stream_group_lag{group="shipping"})', 'CheckoutSucceeded not yet read']]),
  ],
};
choreographed.rows.push(parcels);

/** Every dashboard, as data. */
export const DASHBOARDS = [comparison, eventBus, orchestrated, choreographed];

const PANEL_HEIGHT = 8;

function renderPanel(spec, id, gridPos) {
  return {
    id,
    type: spec.type,
    title: spec.title,
    ...(spec.description && { description: spec.description }),
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    options:
      spec.type === 'timeseries'
        ? { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } }
        : { orientation: 'horizontal', displayMode: 'basic', reduceOptions: { calcs: ['lastNotNull'], values: false } },
    targets: spec.queries.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr, legendFormat, range: true })),
  };
}

/** A dashboard as Grafana stores it: rows of panels, each row as wide as the grid (24). */
export function renderDashboard(spec) {
  const panels = [];
  let y = 0;
  for (const row of spec.rows) {
    panels.push({ id: panels.length + 1, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    for (const item of row.panels) {
      if (x + item.width > 24) {
        x = 0;
        y += PANEL_HEIGHT;
      }
      panels.push(renderPanel(item, panels.length + 1, { h: PANEL_HEIGHT, w: item.width, x, y }));
      x += item.width;
    }
    y += PANEL_HEIGHT;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['checkout-sagas'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    timezone: 'browser',
    annotations: { list: [] },
    // A checkout id typed in the box opens its trace in Jaeger, from the entry point of either style.
    templating: { list: [{ type: 'textbox', name: 'checkout', label: 'Checkout id', query: '', current: { text: '', value: '' }, hide: 0 }] },
    links: TRACE_LINKS,
    panels,
  };
}

/** Jaeger's search for the traces of the checkout in the `checkout` box, by the entry point of each style (ADR 0017). */
const TRACE_LINKS = [
  ['choreographed', 'checkout'],
  ['orchestrated', 'saga-orchestrator'],
].map(([style, service]) => ({
  title: `Trace of checkout \${checkout} (${style})`,
  type: 'link',
  url: `http://localhost:16686/search?service=${service}&tags=${encodeURIComponent('{"checkout.id":"')}\${checkout}${encodeURIComponent('"}')}`,
  targetBlank: true,
  tooltip: `The ${style} checkout's trace in Jaeger (docker/compose.yaml)`,
}));

/** Each dashboard's file name and its JSON text, as committed. */
export function renderDashboards() {
  return DASHBOARDS.map((spec) => ({ file: `${spec.uid}.json`, json: `${JSON.stringify(renderDashboard(spec), null, 2)}\n` }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) {
    mkdirSync(DASHBOARDS_DIR, { recursive: true });
    for (const { file, json } of renderDashboards()) writeFileSync(join(DASHBOARDS_DIR, file), json);
  } else {
    for (const { file, json } of renderDashboards()) process.stdout.write(`${file}: ${JSON.parse(json).panels.length} panels\n`);
  }
}
