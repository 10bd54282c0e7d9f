interface Summary {
  mode: string;
  style: string;
  transactionsPerCheckout: number;
  overheadPercent: number | null;
  spansPerCheckout: number;
}

/** The bench is plain JavaScript run by node; a computed specifier keeps the compiler from looking for its types. */
const file = 'tracing-overhead.report.mjs';
const { modeOf, summarize, tracingEnvOf, tracingMarkdownOf } = await import(`./${file}`);

const sample = (round: number, mode: string, style: 'orchestrated' | 'choreographed', transactions: number, spans = 0) => ({
  round,
  mode,
  style,
  sent: 300,
  cpuMsPerCheckout: transactions * 0.5,
  cpuMsPerTransaction: 0.5,
  transactionsPerCheckout: transactions,
  spansPerCheckout: spans,
  p50Ms: 20,
  p99Ms: 80,
  restCoresBusy: 0.05,
  components: [],
});

describe('tracing overhead report', () => {
  it('reads the modes: off, or a sampled percentage', () => {
    expect(modeOf('off')).toEqual({ name: 'off', sampledPercent: null });
    expect(modeOf('10')).toEqual({ name: '10%', sampledPercent: 10 });
    expect(modeOf('100%')).toEqual({ name: '100%', sampledPercent: 100 });
    expect(() => modeOf('0')).toThrow(/sampled percentage/);
    expect(() => modeOf('on')).toThrow(/sampled percentage/);
  });

  it('turns tracing on and off through the standard OTEL_* variables only', () => {
    expect(tracingEnvOf(modeOf('off'), 'http://127.0.0.1:1')).toEqual({ OTEL_SDK_DISABLED: 'true' });
    expect(tracingEnvOf(modeOf('10'), 'http://127.0.0.1:1')).toEqual({
      OTEL_SDK_DISABLED: 'false',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
    });
  });

  it('gives each mode its median over the rounds and its overhead against off in CPU per checkout, per style', () => {
    const summary = summarize(
      [
        sample(1, 'off', 'orchestrated', 40),
        sample(1, '100%', 'orchestrated', 50, 120),
        sample(2, '100%', 'orchestrated', 54, 118),
        sample(2, 'off', 'orchestrated', 44),
        sample(1, 'off', 'choreographed', 60),
        sample(1, '100%', 'choreographed', 66, 200),
      ],
      ['off', '100%'],
    );
    const of = (style: string, mode: string) => (summary as Summary[]).find((s) => s.style === style && s.mode === mode);
    expect(of('orchestrated', 'off')).toMatchObject({ transactionsPerCheckout: 42, overheadPercent: null, roundsMs: [20, 22] });
    expect(of('orchestrated', '100%')?.transactionsPerCheckout).toBe(52);
    expect(of('orchestrated', '100%')?.overheadPercent).toBeCloseTo((100 * 10) / 42, 6);
    expect(of('orchestrated', '100%')?.spansPerCheckout).toBe(119);
    expect(of('choreographed', '100%')?.overheadPercent).toBeCloseTo(10, 6);
  });

  it('states the overhead in the report', () => {
    const samples = [sample(1, 'off', 'orchestrated', 40), sample(1, '10%', 'orchestrated', 41, 12)];
    const markdown = tracingMarkdownOf({
      generatedAt: '2026-12-07T00:00:00.000Z',
      command: 'npm run bench:tracing',
      load: { rate: 20, seconds: 15, rounds: 1, modes: ['off', '10%'], settleSeconds: 20, warmupSeconds: 15 },
      environment: {},
      samples,
      summary: summarize(samples, ['off', '10%']),
    });
    expect(markdown).toContain('| orchestrated | 10% | 20.50 ms | +2.5% | 20.5 ms | 41.0 |');
    expect(markdown).toContain('| orchestrated | off | 20.00 ms | - | 20.0 ms | 40.0 |');
  });
});
