import { type AnyEvent, eventStreamOf } from '@app/contracts';
import type { Redis } from 'ioredis';
import { AckBatcher } from './ack.batcher.js';
import { removeDeadConsumers } from './dead-consumers.js';
import { EntrySettler } from './entry.settler.js';
import { KeyedQueue } from './keyed.queue.js';
import { type InFlightEntry, PendingClaimer, inFlightKey } from './pending.claimer.js';
import { type PeriodicTask, settlesWithin, startPeriodic } from './periodic.task.js';
import { closeConnection, createRedisConnection } from './redis.connection.js';
import { RedeliveryScheduler } from './redelivery.scheduler.js';
import { initConsumerSeries, streamMetrics } from './redis-streams.metrics.js';
import type { ResolvedServerOptions } from './redis-streams.options.js';
import { StopSignal } from './stop.signal.js';
import { type DecodedEntry, decodeEntry, entryTypeOf } from './stream-entry.codec.js';
import type { Delivery } from './stream.delivery.js';
import { compareEntryIds } from './stream-entry.id.js';
import { trimStream } from './stream.trimmer.js';

/** What the consumer needs from the app around it (the Nest server). */
export interface ConsumerHooks {
  /** Whether the app handles `type`; entries of other types are acknowledged without being handled. */
  handles(type: string): boolean;
  /** Runs the app's handler; resolves once it succeeded. */
  handle(envelope: AnyEvent, delivery: Delivery): Promise<void>;
}

/**
 * Reads a consumer group's streams and settles every entry: acknowledged once its handler succeeded,
 * delivered again after a delay, or dead-lettered. Reads block on a connection of their own;
 * everything else (acks, claims, redeliveries, dead letters, trimming) goes through a second one.
 */
export class StreamConsumer {
  readonly reader: Redis;
  readonly commands: Redis;
  private readonly topics: Map<string, string>;
  private readonly queue: KeyedQueue;
  private readonly acks: AckBatcher;
  private readonly inFlight = new Map<string, InFlightEntry>();
  private readonly claimer: PendingClaimer;
  private readonly settler: EntrySettler;
  private readonly redeliveries: RedeliveryScheduler;
  private readerId: number | undefined;
  private rescanOwnPending = true;
  private stopping = false;
  /** Every wait of the read loop ends when `stop()` is called. */
  private readonly stopSignal = new StopSignal();
  private loop: Promise<void> = Promise.resolve();
  private tasks: { claim?: PeriodicTask; heartbeat?: PeriodicTask; trim?: PeriodicTask } = {};
  /** Whether entries were read since the last claim look and since the last trim: at rest both are skipped. */
  private readSince = { claim: true, trim: true };
  /** Wait before the next claim look: `claimIntervalMs` while there is work, doubling while there is none. */
  private claimEveryMs: number;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedServerOptions & { streams: readonly string[] },
    private readonly hooks: ConsumerHooks,
  ) {
    const { url, group, consumer, logger, keyPrefix } = options;
    // No offline queue: while disconnected a new read fails at once and the loop backs off. A read cut
    // by a disconnection is resent after reconnecting (ioredis would otherwise leave its promise unsettled).
    this.reader = createRedisConnection(url, `${group}:${consumer}:reader`, logger, { enableOfflineQueue: false });
    this.commands = createRedisConnection(url, `${group}:${consumer}:commands`, logger);
    // A type stream's entries are events of its stream: they carry that stream's name as their topic.
    this.topics = new Map(options.streams.map((stream) => [`${keyPrefix}${stream}`, eventStreamOf(stream)]));
    this.claimEveryMs = options.claimIntervalMs;
    this.queue = new KeyedQueue((error) => logger.error({ err: error }, 'Unexpected failure while settling an entry'));
    this.acks = new AckBatcher(this.commands, group, logger);
    const metrics = streamMetrics();
    initConsumerSeries(metrics, new Set(this.topics.values()), group);
    this.settler = new EntrySettler({
      options,
      commands: this.commands,
      acks: this.acks,
      metrics,
      handle: (envelope, delivery) => hooks.handle(envelope, delivery),
    });
    this.redeliveries = new RedeliveryScheduler({
      commands: this.commands,
      group,
      consumer,
      logger,
      redeliver: (delivery) => {
        this.inFlight.delete(inFlightKey(delivery.stream, delivery.id));
        this.accept([delivery]);
      },
      forget: (delivery) => this.inFlight.delete(inFlightKey(delivery.stream, delivery.id)),
    });
    this.claimer = new PendingClaimer({
      commands: this.commands,
      group,
      consumer,
      claimIdleMs: options.claimIdleMs,
      batchSize: options.batchSize,
      topics: this.topics,
      inFlight: this.inFlight,
      room: () => this.room(),
      accept: (deliveries) => this.accept(deliveries),
    });
    this.reader.on('ready', () => {
      // A read cut by a disconnection may have been delivered without reaching us: re-read our own pending entries.
      this.rescanOwnPending = true;
    });
    this.reader.on('close', () => (this.readerId = undefined));
  }

  /** Connects, creates the groups, then starts reading, claiming and trimming. */
  async start(): Promise<void> {
    const { logger, claimIdleMs, trim } = this.options;
    try {
      await Promise.all([this.reader.connect(), this.commands.connect()]);
      await this.ensureGroups();
    } catch (error) {
      this.reader.disconnect();
      this.commands.disconnect();
      throw error;
    }
    this.loop = this.readLoop();
    const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, `${what} failed; will try again`);
    this.tasks.claim = startPeriodic(() => this.claimEveryMs, () => this.claimAndForget(), warn('Claiming pending entries'));
    this.tasks.heartbeat = startPeriodic(Math.max(10, Math.floor(claimIdleMs / 3)), () => this.claimer.heartbeat(), warn('Refreshing running entries'));
    if (trim !== false) this.tasks.trim = startPeriodic(trim.intervalMs, () => this.trimAll(), warn('Trimming'));
  }

  /**
   * Stops reading and claiming, waits for entries under way up to the drain deadline, sends the
   * last acknowledgements and closes both connections. Entries still unsettled at the deadline stay
   * pending, for another consumer to claim.
   */
  stop(): Promise<void> {
    this.stopped ??= this.drainAndClose();
    return this.stopped;
  }

  private async drainAndClose(): Promise<void> {
    this.stopping = true;
    this.stopSignal.stop();
    this.redeliveries.stop();
    await this.unblockReader();
    if (!(await settlesWithin(this.loop, this.options.blockMs + 500))) {
      // The read could not be unblocked (its connection was down): failing it ends the loop.
      this.reader.disconnect();
      await this.loop;
    }
    await Promise.all([this.tasks.claim?.stop(), this.tasks.trim?.stop()]);
    if (!(await this.drained())) {
      this.settler.abandoned = true;
      this.options.logger.warn({ unsettled: this.queue.size }, 'Drain deadline passed: unsettled entries stay pending for another consumer');
    }
    await this.tasks.heartbeat?.stop();
    await this.acks.flush();
    await Promise.all([closeConnection(this.reader), closeConnection(this.commands)]);
  }

  private drained(): Promise<boolean> {
    return settlesWithin(this.queue.idle(), this.options.drainMs);
  }

  /** Ends a blocked read at once instead of waiting up to `blockMs`. */
  private async unblockReader(): Promise<void> {
    if (this.readerId === undefined) return;
    await settlesWithin(
      this.commands.client('UNBLOCK', this.readerId).catch(() => undefined),
      500,
    );
  }

  private room(): number {
    return this.stopping ? 0 : this.options.maxInFlight - this.queue.size;
  }

  private async readLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.untilRoom();
        if (this.stopping) break;
        if (this.rescanOwnPending) {
          this.rescanOwnPending = false;
          await this.readOwnPending().catch((error: unknown) => {
            this.rescanOwnPending = true;
            throw error;
          });
        } else {
          await this.readNew();
        }
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        await this.recover(error, failures);
      }
    }
  }

  private async readNew(): Promise<void> {
    const { group, consumer, batchSize, blockMs, readPauseMs } = this.options;
    this.readerId ??= await this.reader.client('ID');
    if (this.stopping) return;
    const keys = [...this.topics.keys()];
    const count = Math.min(batchSize, this.room());
    if (count <= 0) return;
    const reply = await this.reader.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', ...keys, ...keys.map(() => '>'));
    const deliveries: Delivery[] = [];
    for (const [stream, entries] of reply ?? []) {
      for (const [id, fields] of entries) deliveries.push({ stream, topic: this.topics.get(stream) ?? stream, id, fields, attempt: 1 });
    }
    // Several streams (a worker's type streams) come one after the other: hand their entries on in the order they were appended.
    if (reply !== null && reply.length > 1) deliveries.sort((a, b) => compareEntryIds(a.id, b.id));
    this.accept(deliveries);
    const read = deliveries.length;
    if (read > 0) this.readSince = { claim: true, trim: true };
    // A short read means the group has caught up: let a few entries gather rather than fetch them one round trip each.
    if (read > 0 && read < count && readPauseMs > 0) await this.stopSignal.sleep(readPauseMs);
  }

  /** Entries delivered to this consumer before a restart or a lost connection, and never acknowledged. */
  private async readOwnPending(): Promise<void> {
    const { group, consumer, batchSize } = this.options;
    for (const stream of this.topics.keys()) {
      let after = '0';
      for (;;) {
        await this.untilRoom();
        const count = Math.min(batchSize, this.room());
        if (count <= 0) return;
        const reply = await this.reader.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, after);
        const entries = reply?.[0]?.[1] ?? [];
        const last = entries.at(-1);
        if (last === undefined) break;
        after = last[0];
        this.accept(await this.claimer.withAttempts(stream, entries));
      }
    }
  }

  private async recover(error: unknown, failures: number): Promise<void> {
    const { logger } = this.options;
    if (error instanceof Error && error.message.startsWith('NOGROUP')) {
      logger.warn({ err: error }, 'Consumer group or stream vanished (Redis restarted or key deleted): creating it again');
      const recreated = await this.ensureGroups().then(
        () => true,
        () => false,
      );
      if (recreated) return;
    } else {
      logger.warn({ err: error, failures }, 'Reading the streams failed; retrying');
    }
    await this.stopSignal.sleep(Math.min(2_000, 25 * 2 ** failures));
  }

  private untilRoom(): Promise<void> {
    return this.stopSignal.until(this.queue.below(this.options.maxInFlight));
  }

  private async ensureGroups(): Promise<void> {
    const { group, groupStartId } = this.options;
    for (const stream of this.topics.keys()) {
      await this.commands.xgroup('CREATE', stream, group, groupStartId, 'MKSTREAM').catch((error: unknown) => {
        if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      });
    }
  }

  private accept(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) {
      const key = inFlightKey(delivery.stream, delivery.id);
      if (this.inFlight.has(key)) continue;
      if (this.skips(delivery)) {
        this.acks.ackLater(delivery.stream, delivery.id);
        continue;
      }
      const decoded = decodeEntry(delivery.fields);
      if (decoded.kind === 'event' && !this.hooks.handles(decoded.envelope.type)) {
        this.acks.ackLater(delivery.stream, delivery.id);
        continue;
      }
      this.inFlight.set(key, { stream: delivery.stream, id: delivery.id, touchedAt: Date.now() });
      void this.queue.add(this.orderKey(decoded), () => this.settle(delivery, decoded));
    }
  }

  /** Settles a delivery; one to be delivered again stays in flight (its pending record refreshed) until then. */
  private async settle(delivery: Delivery, decoded: DecodedEntry): Promise<void> {
    const key = inFlightKey(delivery.stream, delivery.id);
    try {
      const settlement = await this.settler.settle(delivery, decoded);
      if (settlement.kind === 'retry') return this.redeliveries.schedule(delivery, settlement.afterMs);
    } catch (error) {
      this.inFlight.delete(key);
      throw error;
    }
    this.inFlight.delete(key);
  }

  /** Whether the entry is none of this group's business, known without parsing it: trimmed away, or of a type it does not handle. */
  private skips(delivery: Delivery): boolean {
    if (delivery.fields === null) return true;
    const type = entryTypeOf(delivery.fields);
    return type !== undefined && !this.hooks.handles(type);
  }

  /** Entries of one checkout are handled in stream order, unless the app orders them itself; a poison entry orders with nothing. */
  private orderKey(decoded: DecodedEntry): string | null {
    if (decoded.kind !== 'event' || this.options.ordering === 'none') return null;
    return decoded.envelope.correlationId;
  }

  /**
   * Claims the entries of dead consumers, then removes the consumers left with nothing pending.
   * "Dead" waits for the claim idle time, and at least two full reads of a live consumer.
   *
   * A group that read nothing and claimed nothing since the last look backs off, doubling the wait
   * up to `claimIdleMs`: an entry is claimable only after that long anyway, so a dead consumer's
   * entries are still taken over at most twice `claimIdleMs` after their last delivery, while a
   * group at rest looks about twice a minute instead of every few seconds.
   */
  private async claimAndForget(): Promise<void> {
    const { group, consumer, claimIdleMs, claimIntervalMs, blockMs, readPauseMs, logger } = this.options;
    const busy = this.readSince.claim;
    this.readSince.claim = false;
    const claimed = await this.claimer.claim().catch((error: unknown) => {
      this.readSince.claim ||= busy;
      throw error;
    });
    this.claimEveryMs = busy || claimed > 0 ? claimIntervalMs : Math.min(Math.max(claimIntervalMs, claimIdleMs), this.claimEveryMs * 2);
    const idleMs = Math.max(claimIdleMs, 2 * (blockMs + readPauseMs));
    for (const stream of this.topics.keys()) {
      const removed = await removeDeadConsumers(this.commands, stream, group, consumer, idleMs);
      if (removed.length > 0) logger.info({ stream, group, removed }, 'Removed consumers idle with nothing pending');
    }
  }

  /**
   * Trims the streams, when this consumer read entries since the last run or a slower group held the
   * last trim back; at rest neither is true and nothing is asked of Redis.
   */
  private async trimAll(): Promise<void> {
    const { trim, logger } = this.options;
    if (trim === false || !this.readSince.trim) return;
    this.readSince.trim = false;
    try {
      for (const stream of this.topics.keys()) {
        const removed = await trimStream(this.commands, stream, trim);
        if (removed > 0) logger.debug({ stream, removed }, 'Trimmed entries every group is done with');
        if ((await this.commands.xlen(stream)) > trim.maxLen) this.readSince.trim = true;
      }
    } catch (error) {
      this.readSince.trim = true;
      throw error;
    }
  }
}
