import { BadRequestException, type ExecutionContext, createParamDecorator } from '@nestjs/common';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key` header, or undefined without one. A malformed key is a 400 naming
 * the header, like any other bad field.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const key = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: ['Idempotency-Key must be 1-255 visible ASCII characters'],
      fields: ['Idempotency-Key'],
    });
  }
  return key;
});
