import type { EnvSchema } from './env.schema.js';
import { loadConfig } from './load-config.js';

/**
 * The module a launcher preloads (`node --import`) into every app when tracing is on, relative to
 * the repository: it registers the ESM hooks and starts the SDK before the app's modules load.
 */
export const TRACING_PRELOAD = 'dist/libs/observability/src/tracing/tracing.preload.js';

/** Whether the apps trace: `OTEL_SDK_DISABLED=false`. Off, no SDK is loaded at all. */
export function tracingEnabled(config: Pick<EnvSchema, 'OTEL_SDK_DISABLED'>): boolean {
  return !config.OTEL_SDK_DISABLED;
}

/**
 * Whether apps started with `env` trace, for a launcher deciding whether to preload the SDK. Reads
 * OTEL_SDK_DISABLED alone, as the config does: the rest of `env` is the apps' to validate.
 */
export function tracingRequested(env: Record<string, string | undefined>): boolean {
  const value = env['OTEL_SDK_DISABLED'];
  return value !== undefined && tracingEnabled(loadConfig({ OTEL_SDK_DISABLED: value }));
}

/** Where spans are sent: the traces endpoint if set, else `/v1/traces` under the OTLP endpoint. */
export function tracesEndpointOf(config: Pick<EnvSchema, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== '') return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

/** `OTEL_RESOURCE_ATTRIBUTES` as attributes (values URL-decoded, as the specification says). */
export function resourceAttributesOf(config: Pick<EnvSchema, 'OTEL_RESOURCE_ATTRIBUTES'>): Record<string, string> {
  if (config.OTEL_RESOURCE_ATTRIBUTES === '') return {};
  return Object.fromEntries(
    config.OTEL_RESOURCE_ATTRIBUTES.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), decoded(pair.slice(at + 1).trim())];
    }),
  );
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
