import { type AppConfig, resourceAttributesOf, tracesEndpointOf } from '@app/config';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { markTracingStarted } from './tracing.state.js';

/** Requests that say nothing about a checkout: probes and scrapes, every few seconds. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

type TracingSettings = Pick<
  AppConfig,
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_RESOURCE_ATTRIBUTES'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
  | 'OTEL_BSP_SCHEDULE_DELAY'
>;

/** The sampler OTEL_TRACES_SAMPLER names, as the specification defines each. */
export function samplerOf(config: Pick<AppConfig, 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG'>): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG);
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The instrumentations of what the apps use: HTTP server and client, undici (the participant clients), PostgreSQL, Redis. */
function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
    new UndiciInstrumentation(),
    // Without a parent, a query or command is a poll (outbox relays, stream reads): no trace of its own.
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}

/**
 * Starts the OpenTelemetry SDK for the app `app`: W3C trace context propagation, the sampler and
 * the OTLP/HTTP exporter the settings name, batched, and the instrumentations. Called by the preload
 * module only (before the app's own modules load, so the instrumentations patch them).
 */
export function startTracing(config: TracingSettings, app: string): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...resourceAttributesOf(config), [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME || app }),
    sampler: samplerOf(config),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesEndpointOf(config) }), { scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY }),
    ],
  });
  provider.register();
  registerInstrumentations({ tracerProvider: provider, instrumentations: instrumentations() });
  markTracingStarted(provider);
  return provider;
}
