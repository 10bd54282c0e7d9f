import { type Fault, hold } from './fault.js';

const DOWN_MS = 1_500;

/** The bus goes away and comes back from its append-only file: publishers and consumers reconnect, nothing is lost. */
export const restartRedis: Fault = {
  name: 'restart-redis',
  description: `redis-server (append-only, fsync every second) shut down, ${DOWN_MS / 1_000} s down, restarted on its data`,
  async inject({ stack }) {
    await stack.redisServer.stop();
    await hold(DOWN_MS);
    await stack.redisServer.restart();
  },
};
