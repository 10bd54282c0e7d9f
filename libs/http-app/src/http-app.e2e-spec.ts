import { setTimeout as tick } from 'node:timers/promises';
import { Body, Controller, Module, Post } from '@nestjs/common';
import request from 'supertest';
import { currentCorrelationId } from '@app/observability';
import { type TestApp, startTestApp } from '@app/testing';
import { Public } from './public.decorator.js';

@Public()
@Controller('echo')
class EchoController {
  /** Answers with the correlation id its log lines would carry, after an await like any real handler. */
  @Post()
  async echo(@Body() body: Record<string, unknown>): Promise<{ correlationId: string | null; body: Record<string, unknown> }> {
    await tick(5);
    return { correlationId: currentCorrelationId() ?? null, body };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('http app: the caller’s X-Correlation-Id', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ module: EchoModule });
  });

  afterAll(() => app?.close());

  const echo = (headers: Record<string, string>) => request(app.url).post('/echo').set(headers).send({ checkoutId: 'c-1' }).expect(201);

  it('is the correlation id while the request is handled', async () => {
    const res = await echo({ 'X-Correlation-Id': '5b0f0c1e-8a4e-4bb5-9d43-1f1f0b2f7a11' });
    expect(res.body).toEqual({ correlationId: '5b0f0c1e-8a4e-4bb5-9d43-1f1f0b2f7a11', body: { checkoutId: 'c-1' } });
  });

  it('stays the correlation id across a body read in several chunks', async () => {
    const res = await request(app.url)
      .post('/echo')
      .set('X-Correlation-Id', 'big-1')
      .send({ padding: 'x'.repeat(200_000) })
      .expect(201);
    expect(res.body.correlationId).toBe('big-1');
  });

  it('is ignored when absent or when it is not an id', async () => {
    expect((await echo({})).body.correlationId).toBeNull();
    expect((await echo({ 'X-Correlation-Id': 'x", "level": 60' })).body.correlationId).toBeNull();
  });

  it('does not leak from one request into the next', async () => {
    const answers = await Promise.all(['a-1', 'b-2', 'c-3'].map((id) => echo({ 'X-Correlation-Id': id })));
    expect(answers.map((res) => res.body.correlationId)).toEqual(['a-1', 'b-2', 'c-3']);
    expect((await echo({})).body.correlationId).toBeNull();
  });
});
