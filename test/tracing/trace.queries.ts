import type { ReceivedSpan } from '@app/testing';

/** One trace as received, with the questions the tests ask of it. */
export class ReceivedTrace {
  private readonly byId: Map<string, ReceivedSpan>;

  constructor(readonly spans: readonly ReceivedSpan[]) {
    this.byId = new Map(spans.map((span) => [span.spanId, span]));
  }

  get traceIds(): Set<string> {
    return new Set(this.spans.map((span) => span.traceId));
  }

  /** The spans without a parent in the trace. */
  get roots(): ReceivedSpan[] {
    return this.spans.filter((span) => span.parentSpanId === '' || !this.byId.has(span.parentSpanId));
  }

  get services(): Set<string> {
    return new Set(this.spans.map((span) => span.service));
  }

  /** The spans named `name` (of `service`, if given), in start order. */
  named(name: string, service?: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.name === name && (service === undefined || span.service === service));
  }

  /** The one span named `name` (of `service`), failing with what the trace holds otherwise. */
  one(name: string, service?: string): ReceivedSpan {
    const found = this.named(name, service);
    if (found.length !== 1) throw new Error(`Expected one span "${name}"${service ? ` of ${service}` : ''}, found ${found.length} in:\n${this.describe()}`);
    return found[0]!;
  }

  /** Whether `ancestor` is `span`'s parent, or its parent's, and so on. */
  isAncestor(ancestor: ReceivedSpan, span: ReceivedSpan): boolean {
    for (let parent = this.byId.get(span.parentSpanId); parent !== undefined; parent = this.byId.get(parent.parentSpanId)) {
      if (parent.spanId === ancestor.spanId) return true;
    }
    return false;
  }

  /** The tree, one span a line, for failure messages. */
  describe(): string {
    const lines: string[] = [];
    const walk = (span: ReceivedSpan, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${span.service}: ${span.name}`);
      for (const child of this.spans.filter((s) => s.parentSpanId === span.spanId)) walk(child, depth + 1);
    };
    for (const root of this.roots) walk(root, 0);
    return lines.join('\n');
  }
}
