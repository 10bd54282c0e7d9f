// @ts-check
import { createServer } from 'node:http';

/**
 * An OTLP/HTTP traces receiver that keeps nothing: it answers every export as a trace back end
 * would and counts the spans, so the bench pays the whole cost of exporting and none of storing.
 * The apps' exporter sends JSON (`@opentelemetry/exporter-trace-otlp-http`).
 */
export class OtlpSink {
  /** Spans received since the sink started. */
  spans = 0;
  /** Export requests received, and those whose body was not OTLP JSON. */
  requests = 0;
  unreadable = 0;
  #server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      this.requests += 1;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) this.spans += (scope.spans ?? []).length;
      } catch {
        this.unreadable += 1;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  /** Listens on a free port of 127.0.0.1 and resolves with the OTLP endpoint the apps are given. */
  async start() {
    await new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve(undefined)));
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('The OTLP sink has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  stop() {
    return new Promise((resolve) => this.#server.close(() => resolve(undefined)));
  }
}
