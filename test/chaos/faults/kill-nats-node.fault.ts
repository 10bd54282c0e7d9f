import { type Fault, hold } from './fault.js';

const DOWN_MS = 3_000;

/**
 * One node of the three-node JetStream cluster dies (SIGKILL) under load and comes back on its store:
 * streams replicated three times keep a quorum of two, clients fail over to the other nodes, and the
 * node catches up when it returns. A different node each cycle, the stream leaders' included.
 */
export const killNatsNode: Fault = {
  name: 'kill-nats-node',
  description: `one node of the three-node JetStream cluster (streams replicated 3 times) SIGKILLed, ${DOWN_MS / 1_000} s down, restarted on its store`,
  async inject({ stack }, cycle) {
    const cluster = stack.natsCluster;
    if (cluster === undefined) throw new Error('kill-nats-node needs BUS=nats');
    const node = cycle % cluster.size;
    await cluster.kill(node);
    await hold(DOWN_MS);
    await cluster.restart(node);
  },
};
