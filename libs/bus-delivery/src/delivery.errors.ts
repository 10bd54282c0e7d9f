import { RpcException } from '@nestjs/microservices';

/**
 * Both classes extend RpcException and return themselves from `getError()`: Nest's default RPC
 * exception filter then hands the instance itself to the transport, so the error policy still sees
 * the class even for handlers declared with a bare `@EventPattern`.
 */
abstract class DeliveryError extends RpcException {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    if (options?.cause !== undefined) this.cause = options.cause;
  }

  override getError(): this {
    return this;
  }
}

/** A failure worth another delivery (a participant timed out, a database was briefly away). */
export class RetriableError extends DeliveryError {}

/** A failure no redelivery can fix: the entry goes to the dead-letter stream at once. */
export class PermanentError extends DeliveryError {}
