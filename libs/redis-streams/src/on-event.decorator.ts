import { type AnyEvent, EVENT_TYPES, type EventEnvelope, type EventType } from '@app/contracts';
import { applyDecorators, type ArgumentsHost, Catch, type RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns any error that is not an RpcException into a generic
 * "Internal server error" object; this one hands the error on untouched, so the error policy sees
 * its class and the dead-letter stream records its real message.
 */
@Catch()
class KeepOriginalErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/** A handler of `T`: its first parameter, when it has one, receives the envelope of a `T`. */
export type EventHandlerOf<T extends EventType> = (event: EventEnvelope<T>, ...rest: never[]) => unknown;

/**
 * `@EventPattern(type)` checked by the compiler: `type` must be an {@link EventType} and the
 * handler's first parameter must accept an `EventEnvelope<type>`. It also keeps the handler's
 * original error for the transport's error policy.
 *
 * @example
 * @OnEvent('StockReserved')
 * async createOrder(@Payload() event: EventEnvelope<'StockReserved'>) { ... }
 */
export function OnEvent<T extends EventType>(
  type: T,
): <H extends EventHandlerOf<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>) => void {
  return applyDecorators(EventPattern<string>(type), UseFilters(new KeepOriginalErrorFilter()));
}

/** A handler of every event type: its first parameter, when it has one, receives any envelope. */
export type AnyEventHandler = (event: AnyEvent, ...rest: never[]) => unknown;

/**
 * `@OnEvent` for every {@link EventType} at once, for subscribers that record or project the whole
 * bus (audit, read models): the transport then reads every stream, and narrowing on `event.type`
 * narrows the payload.
 *
 * @example
 * @OnAnyEvent()
 * async record(@Payload() event: AnyEvent, @Ctx() context: RedisStreamsContext) { ... }
 */
export function OnAnyEvent(): <H extends AnyEventHandler>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>) => void {
  return applyDecorators(EventPattern<string[]>([...EVENT_TYPES]), UseFilters(new KeepOriginalErrorFilter()));
}
