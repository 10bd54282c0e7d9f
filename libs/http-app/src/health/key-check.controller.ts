import { Controller, Get } from '@nestjs/common';

/**
 * `/health/key`: 200 when the caller's X-API-Key is one this app accepts, else the guard's 401. The
 * services that call this one check their `INTERNAL_API_KEY` with it in their readiness.
 */
@Controller('health')
export class KeyCheckController {
  @Get('key')
  key() {
    return { status: 'ok' };
  }
}
