import { Body, Controller, type DynamicModule, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import { IsString } from 'class-validator';
import request from 'supertest';
import { ConfigModule } from '@app/config';
import { TEST_API_KEY, type TestApp, startTestApp, testConfig } from '@app/testing';
import { FaultInjectionGuard } from './fault-injection.guard.js';
import { HTTP_APP_PROVIDERS } from './http-app.js';

class NoteDto {
  @IsString() note!: string;
}

/** Counts the calls that reached it: a call failed by fault injection must have had no effect. */
@Controller('effects')
@UseGuards(FaultInjectionGuard)
class EffectsController {
  static applied = 0;

  @Post()
  @HttpCode(201)
  apply(@Body() { note }: NoteDto): { note: string } {
    EffectsController.applied += 1;
    return { note };
  }
}

@Module({})
class FaultyModule {
  static register(faults: { FAULT_ERROR_RATE?: number; FAULT_DELAY_RATE?: number; FAULT_DELAY_MS?: number }): DynamicModule {
    return { module: FaultyModule, imports: [ConfigModule.forRoot(testConfig(faults))], controllers: [EffectsController], providers: HTTP_APP_PROVIDERS };
  }
}

describe('http app: fault injection on participant routes', () => {
  const apps: TestApp[] = [];
  const start = async (faults: Parameters<typeof FaultyModule.register>[0]) => {
    const app = await startTestApp(FaultyModule.register(faults));
    apps.push(app);
    return app;
  };
  const post = (app: TestApp, body: object, key = TEST_API_KEY) => request(app.url).post('/effects').set('X-API-Key', key).send(body);

  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it('lets every call through untouched when off', async () => {
    const app = await start({});
    await post(app, { note: 'a' }).expect(201, { note: 'a' });
    expect((await post(app, { note: 1 }).expect(400)).body.fields).toEqual(['note']);
  });

  it('fails calls with a 503 FAULT.INJECTED before they have any effect, after the API key is checked', async () => {
    const app = await start({ FAULT_ERROR_RATE: 1 });
    const before = EffectsController.applied;
    const res = await post(app, { note: 'b' }).expect(503);
    expect(res.body).toEqual({ statusCode: 503, code: 'FAULT.INJECTED', message: 'Injected fault (FAULT_ERROR_RATE)' });
    await post(app, { note: 'b' }, 'wrong').expect(401);
    expect(EffectsController.applied).toBe(before);
  });

  it('delays calls by FAULT_DELAY_MS, then handles them', async () => {
    const app = await start({ FAULT_DELAY_RATE: 1, FAULT_DELAY_MS: 300 });
    const started = Date.now();
    await post(app, { note: 'c' }).expect(201, { note: 'c' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
