import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBrokenCircuitError } from 'cockatiel';
import { register } from 'prom-client';
import { ConflictError, DomainError, ErrorCode, PaymentRefusedError } from '@app/contracts';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@app/config';
import { eventually, testConfig } from '@app/testing';
import { CheckoutStepsModule } from './checkout-steps.module.js';
import { InventoryClient } from './inventory.client.js';
import type { ParticipantClientOptions } from './participant-client.options.js';
import { TransientStepError } from './participant.errors.js';
import { PaymentsClient } from './payments.client.js';

type Reply = (request: IncomingMessage & { body: string }, response: ServerResponse) => void;

/** A participant stand-in: answers each request with the next scripted reply (the last one repeats). */
class StubParticipant {
  readonly requests: { method: string; url: string; apiKey: string | undefined; body: string }[] = [];
  private replies: Reply[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.requests.push({ method: request.method ?? '', url: request.url ?? '', apiKey: request.headers['x-api-key'] as string | undefined, body });
        const reply = this.replies.length > 1 ? this.replies.shift()! : this.replies[0]!;
        reply(Object.assign(request, { body }), response);
      });
    });
    // Idle connections stay open until a client closes them, as a real participant behind a keep-alive proxy would.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  script(...replies: Reply[]): void {
    this.replies = replies;
    this.requests.length = 0;
  }

  /** Sockets the clients hold open to this participant. */
  connections(): Promise<number> {
    return new Promise((resolve, reject) => this.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const json =
  (status: number, body: unknown): Reply =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
const never: Reply = () => undefined;

const FAST: Partial<ParticipantClientOptions> = { timeoutMs: 200, retries: 2, backoff: { initialDelayMs: 1, maxDelayMs: 5 } };
const reservation = { checkoutId: 'c1', status: 'RESERVED', items: [{ sku: 'A', quantity: 1 }] };

async function attemptsRecorded(operation: string, outcome: string): Promise<number> {
  const metric = (await register.getSingleMetric('external_service_call_duration_seconds')!.get()).values;
  return (
    metric.find((v) => v.labels['operation'] === operation && v.labels['outcome'] === outcome && (v as { metricName?: string }).metricName?.endsWith('_count'))
      ?.value ?? 0
  );
}

describe('participant HTTP clients', () => {
  let stub: StubParticipant;
  const clients: { close(): Promise<void> }[] = [];
  const inventory = (options: Partial<ParticipantClientOptions> = {}) => {
    const client = new InventoryClient({ baseUrl: stub.url, apiKey: 'k1', ...FAST, ...options } as ParticipantClientOptions);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    stub = await new StubParticipant().start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stub.stop();
  });

  it('sends the API key and the JSON body, and returns the parsed answer', async () => {
    stub.script(json(201, reservation));
    expect(await inventory().reserve('c1', [{ sku: 'A', quantity: 1 }])).toEqual(reservation);
    expect(stub.requests).toEqual([
      { method: 'POST', url: '/inventory/reservations', apiKey: 'k1', body: JSON.stringify({ checkoutId: 'c1', items: [{ sku: 'A', quantity: 1 }] }) },
    ]);
  });

  it('keeps a path prefix of the base URL and escapes ids', async () => {
    stub.script(json(200, reservation));
    const client = new InventoryClient({ baseUrl: `${stub.url}/api/`, apiKey: 'k1', ...FAST } as ParticipantClientOptions);
    clients.push(client);
    await client.release('c 1');
    expect(stub.requests[0]).toMatchObject({ url: '/api/inventory/reservations/c%201/release', body: '' });
  });

  it('turns a refusal into the DomainError of its status with the stable code, and never retries it', async () => {
    stub.script(json(409, { statusCode: 409, code: ErrorCode.InsufficientStock, message: 'short', shortages: [{ sku: 'A', requested: 3, available: 1 }] }));
    const error = await inventory()
      .reserve('c1', [{ sku: 'A', quantity: 3 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: ErrorCode.InsufficientStock, message: 'short', details: { shortages: [{ sku: 'A', requested: 3, available: 1 }] } });
    expect(stub.requests).toHaveLength(1);
  });

  it('reads a payment decline (402) with its reason', async () => {
    stub.script(
      json(402, { statusCode: 402, code: ErrorCode.CardDeclined, message: 'Your card was declined.', status: 'DECLINED', reason: 'Your card was declined.' }),
    );
    const payments = new PaymentsClient({ baseUrl: stub.url, apiKey: 'k1', ...FAST } as ParticipantClientOptions);
    clients.push(payments);
    const error = await payments.authorize({ checkoutId: 'c1', amountCents: 100, token: 'tok_chargeDeclined' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentRefusedError);
    expect(error).toMatchObject({ code: ErrorCode.CardDeclined, message: 'Your card was declined.', details: { status: 'DECLINED' } });
  });

  it('names a refusal without a code after the service and status', async () => {
    stub.script(json(400, { statusCode: 400, message: ['items.0.quantity must not be less than 1'] }));
    const error = await inventory()
      .reserve('c1', [{ sku: 'A', quantity: 0 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INVENTORY.HTTP_400', message: 'items.0.quantity must not be less than 1' });
  });

  it('retries an injected 503 with backoff and succeeds', async () => {
    stub.script(json(503, { code: ErrorCode.InjectedFault }), json(503, { code: ErrorCode.InjectedFault }), json(201, reservation));
    expect(await inventory().reserve('c1', [{ sku: 'A', quantity: 1 }])).toEqual(reservation);
    expect(stub.requests).toHaveLength(3);
  });

  it('gives up after the retries with a TransientStepError naming the service, the operation and the attempts', async () => {
    stub.script(json(500, { message: 'boom' }));
    const error = await inventory()
      .reserve('c1', [{ sku: 'A', quantity: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientStepError);
    expect(error).toMatchObject({ service: 'inventory', operation: 'reserveStock', attempts: 3, code: 'INVENTORY.UNAVAILABLE' });
    expect(stub.requests).toHaveLength(3);
  });

  it.each([401, 403])('takes a %i (our key refused) for a fault: retried, then INTERNAL_KEY_REFUSED naming the settings', async (status) => {
    stub.script(json(status, { statusCode: status, message: 'Invalid API key' }));
    const error = await inventory()
      .reserve('c1', [{ sku: 'A', quantity: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientStepError);
    expect(error).toMatchObject({ service: 'inventory', attempts: 3, code: 'INVENTORY.INTERNAL_KEY_REFUSED' });
    expect((error as Error).message).toMatch(/INTERNAL_API_KEY.*API_KEYS/);
    expect(stub.requests).toHaveLength(3);
  });

  it('does not open the circuit on refused keys, so every call still says why', async () => {
    stub.script(json(401, { statusCode: 401, message: 'Invalid API key' }));
    const client = inventory({ retries: 0, breaker: { threshold: 0.5, samplingMs: 5_000, minimumRps: 1, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 10; i += 1) await expect(client.release('c1')).rejects.toMatchObject({ code: 'INVENTORY.INTERNAL_KEY_REFUSED', attempts: 1 });
    expect(stub.requests).toHaveLength(10);
  });

  it('times out each attempt, retries, and records the attempts as timeouts', async () => {
    const before = await attemptsRecorded('confirmReservation', 'timeout');
    stub.script(never);
    const started = Date.now();
    const error = await inventory({ timeoutMs: 100, retries: 1 })
      .confirm('c1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransientStepError', attempts: 2 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await attemptsRecorded('confirmReservation', 'timeout')) - before).toBe(2);
  });

  it('treats a refused connection as transient', async () => {
    const closed = new InventoryClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k1', ...FAST } as ParticipantClientOptions);
    clients.push(closed);
    await expect(closed.release('c1')).rejects.toMatchObject({ name: 'TransientStepError', attempts: 3 });
  });

  it('opens the circuit when most attempts fail, then fails fast without calling the participant', async () => {
    stub.script(json(503, { code: ErrorCode.InjectedFault }));
    const client = inventory({ retries: 0, breaker: { threshold: 0.5, samplingMs: 5_000, minimumRps: 1, halfOpenAfterMs: 60_000 } });
    const errors: unknown[] = [];
    for (let i = 0; i < 20; i += 1) errors.push(await client.release('c1').catch((e: unknown) => e));
    expect(errors.every((e) => e instanceof TransientStepError)).toBe(true);
    const sent = stub.requests.length;
    expect(sent).toBeLessThan(20);
    expect(errors.at(-1)).toMatchObject({ attempts: 0 });
    expect(isBrokenCircuitError((errors.at(-1) as Error).cause)).toBe(true);
  });

  it('does not count refusals against the circuit', async () => {
    stub.script(json(404, { code: ErrorCode.ReservationNotFound, message: 'none' }));
    const client = inventory({ retries: 0, breaker: { threshold: 0.5, samplingMs: 5_000, minimumRps: 1, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 20; i += 1) await expect(client.confirm('c1')).rejects.toMatchObject({ code: ErrorCode.ReservationNotFound });
    expect(stub.requests).toHaveLength(20);
  });

  it('CheckoutStepsModule builds the clients from the configuration, keeps connections alive and closes them with the app', async () => {
    const own = await new StubParticipant().start();
    own.script(json(200, reservation));
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig({ INVENTORY_URL: own.url, API_KEYS: 'test-key,from-config', INTERNAL_API_KEY: 'from-config' })), CheckoutStepsModule.forRoot()],
    }).compile();
    const app = await moduleRef.init();
    try {
      const client = app.get(InventoryClient);
      for (let i = 0; i < 10; i += 1) await client.release(`c${i}`);
      expect(new Set(own.requests.map((r) => r.apiKey))).toEqual(new Set(['from-config']));
      // Ten calls, one after the other, over the same one or two kept-alive connections.
      expect(await own.connections()).toBeLessThanOrEqual(2);
      await app.close();
      await eventually(async () => expect(await own.connections()).toBe(0));
    } finally {
      await own.stop();
    }
  });
});
