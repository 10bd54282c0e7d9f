import { Transform } from 'class-transformer';
import type { IsURLOptions } from 'validator';
import { IsBoolean, IsIn, IsInt, IsNumber, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
const toNumber = toInt;
const toBool = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value);
const pgUrl: IsURLOptions = { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true };
const redisUrl: IsURLOptions = { protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true };
const httpUrl: IsURLOptions = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };

const B64_KEY = /^[A-Za-z0-9_-]{43}$/;

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/checkout_sagas';

/**
 * Every environment variable the system reads, with a default that works on a developer machine
 * running PostgreSQL and Redis locally. Validated once at boot by {@link loadConfig}.
 */
export class EnvSchema {
  @IsIn(['development', 'production', 'test']) NODE_ENV = 'development';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  /** Comma-separated keys accepted in the X-API-Key header. */
  @IsString() API_KEYS = 'dev-key';

  @IsUrl(redisUrl) REDIS_URL = 'redis://127.0.0.1:6379';
  /** Prepended to every Redis key and stream name; lets tests and parallel stacks share one Redis. */
  @IsString() REDIS_KEY_PREFIX = '';

  /** The event bus of every app and worker: Redis Streams (one node) or NATS JetStream (clustered, replicated). */
  @IsIn(['redis-streams', 'nats']) BUS: 'redis-streams' | 'nats' = 'redis-streams';
  /** NATS servers when BUS=nats, comma-separated (`nats://host:4222`); the client fails over between them. */
  @Matches(/^nats:\/\/[^\s,]+(,nats:\/\/[^\s,]+)*$/, { message: 'NATS_URL must be nats://host:port, or several separated by commas' })
  NATS_URL = 'nats://127.0.0.1:4222';
  /** Prepended to every JetStream stream, consumer and subject name; lets tests and parallel stacks share one NATS. */
  @Matches(/^[A-Za-z0-9_-]*$/, { message: 'NATS_PREFIX may hold only letters, digits, _ and -' }) NATS_PREFIX = '';
  /** Copies of every JetStream stream (1 on one server; 3 on a three-node cluster survives the loss of one node). */
  @Transform(toInt) @IsInt() @Min(1) @Max(5) NATS_REPLICAS = 1;
  /** How long JetStream remembers a published eventId to drop a second publish of it (idempotent publish). */
  @Transform(toInt) @IsInt() @Min(1_000) NATS_DUPLICATE_WINDOW_MS = 600_000;
  /** How long JetStream keeps events (0: until removed by hand); PostgreSQL, not the bus, is the durable record. */
  @Transform(toInt) @IsInt() @Min(0) NATS_MAX_AGE_MS = 7 * 24 * 3_600_000;

  @IsUrl(pgUrl) INVENTORY_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) ORDERS_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) PAYMENTS_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) SAGA_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) CHECKOUT_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) EVENT_STORE_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) NOTIFICATIONS_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) CHECKOUT_DEADLINE_DATABASE_URL = LOCAL_PG;
  @IsUrl(pgUrl) SHIPPING_DATABASE_URL = LOCAL_PG;
  @Transform(toInt) @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE = 10;

  @Transform(toInt) @IsInt() @Min(0) CHECKOUT_PORT = 3000;
  @Transform(toInt) @IsInt() @Min(0) INVENTORY_PORT = 3001;
  @Transform(toInt) @IsInt() @Min(0) ORDERS_PORT = 3002;
  @Transform(toInt) @IsInt() @Min(0) PAYMENTS_PORT = 3003;
  @Transform(toInt) @IsInt() @Min(0) SAGA_ORCHESTRATOR_PORT = 3010;
  @Transform(toInt) @IsInt() @Min(0) EVENT_STORE_PORT = 3020;
  @Transform(toInt) @IsInt() @Min(0) CONSOLE_PORT = 3040;
  @Transform(toInt) @IsInt() @Min(0) SHIPPING_PORT = 3004;
  /** Workers expose /metrics and /health on METRICS_PORT (each worker gets its own, 9100 upward). */
  @Transform(toInt) @IsInt() @Min(0) METRICS_PORT = 9100;

  @IsUrl(httpUrl) INVENTORY_URL = 'http://127.0.0.1:3001';
  @IsUrl(httpUrl) ORDERS_URL = 'http://127.0.0.1:3002';
  @IsUrl(httpUrl) PAYMENTS_URL = 'http://127.0.0.1:3003';
  @IsUrl(httpUrl) SAGA_ORCHESTRATOR_URL = 'http://127.0.0.1:3010';
  /** The checkout-deadline worker, which the checkout app asks for stuck checkouts and their compensation. */
  @IsUrl(httpUrl) CHECKOUT_DEADLINE_WORKER_URL = 'http://127.0.0.1:9109';
  /**
   * The key the services use when they call each other; empty means the first of API_KEYS. It must be
   * one of API_KEYS, or every call between services would be refused: the apps refuse to start then.
   */
  @IsString() INTERNAL_API_KEY = '';
  /**
   * The payments service's X25519 public key (base64url, 32 bytes): the entry points seal card tokens
   * to it before storing or publishing them (ADR 0012). The default pairs with the default private key,
   * for development only.
   */
  @Matches(B64_KEY, { message: 'PAYMENT_TOKEN_PUBLIC_KEY must be a base64url X25519 key (43 characters)' })
  PAYMENT_TOKEN_PUBLIC_KEY = 'zrM8MDtbG9gx7pnd0A2_RmCs-tiiE0HeaLSoWyQ0rQ8';
  /** Its private key, read by the payments service only, which alone opens sealed tokens. */
  @Matches(B64_KEY, { message: 'PAYMENT_TOKEN_PRIVATE_KEY must be a base64url X25519 key (43 characters)' })
  PAYMENT_TOKEN_PRIVATE_KEY = 'mHpMCOOZVDObrw8Uftws3KvMruw1lxHOZtJlASflh2Y';
  /** Where the console reaches the checkout app, the event store, and the choreography's metrics (the cqrs-projection worker's /metrics). */
  @IsUrl(httpUrl) CHECKOUT_URL = 'http://127.0.0.1:3000';
  @IsUrl(httpUrl) EVENT_STORE_URL = 'http://127.0.0.1:3020';
  @IsUrl(httpUrl) CHOREOGRAPHY_METRICS_URL = 'http://127.0.0.1:9108';
  /** Signs the console's session cookie (at least 32 characters); empty: a random secret per start, which signs everyone out on restart. */
  @IsString() CONSOLE_SESSION_SECRET = '';
  /** The traces UI (Jaeger) a person's browser reaches: a checkout's page links to `<url>/trace/<traceId>`. Empty: no link. */
  @IsUrl(httpUrl, { message: 'CONSOLE_TRACES_URL must be an http(s) URL, or empty' })
  @ValidateIf((env: EnvSchema) => env.CONSOLE_TRACES_URL !== '')
  CONSOLE_TRACES_URL = 'http://localhost:16686';

  /** Orders whose total exceeds this are refused by the orders service (422). */
  @Transform(toInt) @IsInt() @Min(1) ORDER_MAX_TOTAL_CENTS = 1_000_000;

  /** Share of participant calls that fail with a 503 (0..1). Off by default. */
  @Transform(toNumber) @IsNumber() @Min(0) @Max(1) FAULT_ERROR_RATE = 0;
  /** Share of participant calls delayed by FAULT_DELAY_MS (0..1). Off by default. */
  @Transform(toNumber) @IsNumber() @Min(0) @Max(1) FAULT_DELAY_RATE = 0;
  @Transform(toInt) @IsInt() @Min(0) FAULT_DELAY_MS = 0;

  @Transform(toInt) @IsInt() @Min(1) PARTICIPANT_TIMEOUT_MS = 2_000;
  @Transform(toInt) @IsInt() @Min(0) PARTICIPANT_RETRIES = 3;

  /** Consumer group of a worker; defaults to the worker's own name. */
  @IsString() CONSUMER_GROUP = '';
  /** Consumer name inside the group; defaults to hostname-pid. */
  @IsString() CONSUMER_NAME = '';
  @Transform(toInt) @IsInt() @Min(1) STREAM_BATCH_SIZE = 64;
  @Transform(toInt) @IsInt() @Min(1) STREAM_MAX_IN_FLIGHT = 64;
  /**
   * How long one read blocks in Redis waiting for entries. An idle consumer costs one round trip per
   * block; shutdown unblocks the read at once, so a long block delays nothing.
   */
  @Transform(toInt) @IsInt() @Min(1) STREAM_BLOCK_MS = 10_000;
  /**
   * After a read that returned fewer entries than asked for, wait this long before reading again, so
   * that reads carry several entries. 0 (the saga workers): the next read blocks in Redis at once, so
   * no timer sits on a checkout's hops. The audit, cqrs-projection and notification workers, off the
   * checkout's path, wait 20 ms whatever this says.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(1_000) STREAM_READ_PAUSE_MS = 0;
  /**
   * Deliveries of an entry whose handler keeps failing with a RetriableError before it is
   * dead-lettered. With the retry delays below, 8 deliveries span about 90 s, longer than a
   * checkout's deadline, so an outage is compensated before its events are given up.
   */
  @Transform(toInt) @IsInt() @Min(1) STREAM_MAX_ATTEMPTS = 8;
  /** Wait before delivering again an entry whose handler failed with a RetriableError; doubles at each failure. */
  @Transform(toInt) @IsInt() @Min(1) STREAM_RETRY_DELAY_MS = 1_000;
  /** The longest wait between two deliveries of a failing entry. */
  @Transform(toInt) @IsInt() @Min(1) STREAM_RETRY_MAX_DELAY_MS = 30_000;
  /** An entry held this long by a consumer that stopped refreshing it (crashed, frozen) is claimed by another. */
  @Transform(toInt) @IsInt() @Min(100) STREAM_CLAIM_IDLE_MS = 30_000;
  /**
   * How often pending entries of dead consumers are looked for while the group has work; a consumer
   * that read nothing since its last look backs off, doubling up to STREAM_CLAIM_IDLE_MS.
   */
  @Transform(toInt) @IsInt() @Min(100) STREAM_CLAIM_INTERVAL_MS = 5_000;
  /** Approximate maximum stream length kept by trimming (entries not yet read by every group are kept). */
  @Transform(toInt) @IsInt() @Min(0) STREAM_MAXLEN = 1_000_000;
  @Transform(toInt) @IsInt() @Min(0) STREAM_TRIM_INTERVAL_MS = 60_000;
  @Transform(toInt) @IsInt() @Min(0) SHUTDOWN_DRAIN_MS = 10_000;

  /** A choreographed checkout with no terminal event after this long is reported stuck. */
  @Transform(toInt) @IsInt() @Min(100) CHECKOUT_DEADLINE_MS = 60_000;
  /** How often the checkout-deadline worker looks for choreographed checkouts past their deadline. */
  @Transform(toInt) @IsInt() @Min(50) CHECKOUT_STUCK_SCAN_INTERVAL_MS = 5_000;
  /** Whether a stuck choreographed checkout is compensated at once, or only reported until an operator asks. */
  @Transform(toBool) @IsBoolean() CHECKOUT_AUTO_COMPENSATE = true;
  /** An orchestrated saga still running after this long is compensated. */
  @Transform(toInt) @IsInt() @Min(100) SAGA_DEADLINE_MS = 60_000;
  /** A saga parked in COMPENSATION_ECHOUEE is tried again this long after it was parked (0: only when an operator asks). */
  @Transform(toInt) @IsInt() @Min(0) SAGA_PARKED_RETRY_MS = 30_000;

  /** A parcel with no news from the carrier for this long gets a DEADLINE incident of its own. */
  @Transform(toInt) @IsInt() @Min(100) PARCEL_DEADLINE_MS = 600_000;
  /** How often the shipping app looks for parcels past their deadline. */
  @Transform(toInt) @IsInt() @Min(50) PARCEL_DEADLINE_SCAN_INTERVAL_MS = 5_000;
  /** How long a cached parcel or page of parcels, and the floor an invalidation leaves, live in Redis. */
  @Transform(toInt) @IsInt() @Min(1_000) PARCEL_CACHE_TTL_MS = 600_000;
  /** Whether the shipping app simulates the carrier (moves parcels, declares and resolves incidents). Off here; `npm start` turns it on. */
  @Transform(toBool) @IsBoolean() CARRIER_SIMULATOR = false;
  /** The simulated carrier's pace: a parcel moves on this long after its last move. */
  @Transform(toInt) @IsInt() @Min(10) CARRIER_STEP_MS = 5_000;
  /** Share of the simulated carrier's moves that are an incident instead (0..1): half lost, half damaged. */
  @Transform(toNumber) @IsNumber() @Min(0) @Max(1) CARRIER_INCIDENT_RATE = 0.05;

  @Transform(toBool) @IsBoolean() DATABASE_LOG_QUERIES = false;

  /**
   * OpenTelemetry tracing, through the standard variables (ADR 0017). Off unless this is `false`:
   * then the launchers preload the SDK, and every app exports its spans over OTLP/HTTP.
   */
  @Transform(toBool) @IsBoolean() OTEL_SDK_DISABLED = true;
  /** The service name on the spans; empty: the app's own name. */
  @IsString() OTEL_SERVICE_NAME = '';
  /** Extra resource attributes, `key=value,key=value` (e.g. `deployment.environment=staging`). */
  @Matches(/^$|^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/, { message: 'OTEL_RESOURCE_ATTRIBUTES must read key=value,key=value' })
  OTEL_RESOURCE_ATTRIBUTES = '';
  /** The OTLP/HTTP collector; spans go to `<endpoint>/v1/traces`. */
  @IsUrl(httpUrl) OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:4318';
  /** Where spans go, as a full URL, instead of `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  @IsUrl(httpUrl, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL' })
  @ValidateIf((env: EnvSchema) => env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== '')
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = '';
  /** Which traces are kept: `parentbased_traceidratio` with OTEL_TRACES_SAMPLER_ARG=0.1 keeps one checkout in ten, whole. */
  @IsIn(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
  OTEL_TRACES_SAMPLER = 'parentbased_always_on';
  /** The ratio of the `traceidratio` samplers (0..1). */
  @Transform(toNumber) @IsNumber() @Min(0) @Max(1) OTEL_TRACES_SAMPLER_ARG = 1;
  /** How long spans are batched before they are exported (ms). */
  @Transform(toInt) @IsInt() @Min(1) OTEL_BSP_SCHEDULE_DELAY = 5_000;
}
