import { BaseRpcContext } from '@nestjs/microservices';

type ContextArgs = [topic: string, entryId: string, attempt: number, group: string];

/**
 * What a handler can learn about the delivery it is handling, with `@Ctx() context: RedisStreamsContext`.
 * Both transports hand it (the name is the first bus's); on NATS the topic is the stream as `STREAMS`
 * names it and the entry id is the message's `<ms>-<seq>`.
 */
export class RedisStreamsContext extends BaseRpcContext<ContextArgs> {
  /** The stream name, without key prefix. */
  getTopic(): string {
    return this.args[0];
  }

  /** The stream entry id (`<ms>-<seq>`). */
  getEntryId(): string {
    return this.args[1];
  }

  /** 1 on the first delivery; more when the entry is retried or was claimed from a dead consumer. */
  getAttempt(): number {
    return this.args[2];
  }

  /** The consumer group handling the entry. */
  getGroup(): string {
    return this.args[3];
  }
}
