import { setTimeout as sleep } from 'node:timers/promises';
import { register } from 'prom-client';
import { registerEventLoopUtilization } from './event-loop.gauge.js';

const NAME = 'nodejs_eventloop_utilization_ratio';

async function scrape(): Promise<number> {
  const metric = (await register.getSingleMetric(NAME)?.get())?.values[0]?.value;
  if (metric === undefined) throw new Error(`${NAME} is not registered`);
  return metric;
}

describe('event-loop utilization gauge', () => {
  beforeAll(() => registerEventLoopUtilization());
  afterAll(() => register.removeSingleMetric(NAME));

  it('reads near 1 after a scrape interval of blocking work and near 0 after one of waiting', async () => {
    await scrape();
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // Keeps the event loop busy, as a handler doing CPU work would.
    }
    const busy = await scrape();
    await sleep(300);
    const idle = await scrape();
    expect({ busy: busy > 0.8, idle: idle < 0.5 }).toEqual({ busy: true, idle: true });
  });
});
