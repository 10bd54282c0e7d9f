import { ConfigError, loadConfig } from './load-config.js';
import { resourceAttributesOf, tracesEndpointOf, tracingEnabled, tracingRequested } from './tracing.settings.js';

describe('tracing settings', () => {
  it('are off by default, with a local collector and every trace kept once on', () => {
    const config = loadConfig({});
    expect(tracingEnabled(config)).toBe(false);
    expect(tracesEndpointOf(config)).toBe('http://127.0.0.1:4318/v1/traces');
    expect(config.OTEL_TRACES_SAMPLER).toBe('parentbased_always_on');
    expect(config.OTEL_TRACES_SAMPLER_ARG).toBe(1);
  });

  it('turn on with OTEL_SDK_DISABLED=false only, as a launcher reads it', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'false' })).toBe(true);
    // The rest of the environment is the apps' to judge: an invalid setting does not hide the choice.
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'false', INVENTORY_PORT: 'not a port' })).toBe(true);
  });

  it('send spans to the traces endpoint when set, else under the OTLP endpoint', () => {
    expect(tracesEndpointOf(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }))).toBe('http://jaeger:4318/v1/traces');
    const both = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo.example/otlp/v1/traces' });
    expect(tracesEndpointOf(both)).toBe('https://tempo.example/otlp/v1/traces');
  });

  it('read resource attributes as key=value pairs, values URL-decoded', () => {
    expect(resourceAttributesOf(loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,team=sagas%20core' }))).toEqual({
      'deployment.environment': 'staging',
      team: 'sagas core',
    });
    expect(resourceAttributesOf(loadConfig({}))).toEqual({});
  });

  it('refuse an unknown sampler, a ratio outside 0..1 and a malformed endpoint, naming each', () => {
    let error: unknown;
    try {
      loadConfig({
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318',
        OTEL_RESOURCE_ATTRIBUTES: 'novalue',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['OTEL_TRACES_SAMPLER=', 'OTEL_TRACES_SAMPLER_ARG=', 'OTEL_EXPORTER_OTLP_ENDPOINT=', 'OTEL_RESOURCE_ATTRIBUTES='])
      expect(problems).toContain(name);
  });
});
