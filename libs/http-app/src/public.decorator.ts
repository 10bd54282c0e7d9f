import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'http-app:is-public';

/** Marks a route as reachable without an API key (health and metrics only). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
