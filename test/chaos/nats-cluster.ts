import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats } from '@app/nats-jetstream';
import { eventually, freePort } from '@app/testing';
import { jetstreamManager } from '@nats-io/jetstream';

const NODES = 3;

/** One node: its client and cluster ports, its JetStream store, its process while it runs. */
interface Node {
  name: string;
  port: number;
  clusterPort: number;
  dir: string;
  child?: ChildProcess;
  output: string;
}

/**
 * A three-node NATS JetStream cluster of the suite's own, on free ports and temporary stores, where a
 * node can be killed and started again on its data (which the shared NATS of the other tests must
 * never be). Streams on it are replicated three times by the apps (`NATS_REPLICAS=3`).
 */
export class NatsCluster {
  private constructor(private readonly nodes: Node[]) {}

  static async start(): Promise<NatsCluster> {
    const root = await mkdtemp(join(tmpdir(), 'chaos-nats-'));
    const nodes: Node[] = [];
    for (let i = 1; i <= NODES; i++) nodes.push({ name: `n${i}`, port: await freePort(), clusterPort: await freePort(), dir: join(root, `n${i}`), output: '' });
    const cluster = new NatsCluster(nodes);
    for (const node of nodes) cluster.spawn(node);
    await cluster.untilReady();
    return cluster;
  }

  /** Every node, comma-separated, for `NATS_URL`: the clients fail over between them. */
  get url(): string {
    return this.nodes.map((node) => `nats://127.0.0.1:${node.port}`).join(',');
  }

  get size(): number {
    return this.nodes.length;
  }

  /** SIGKILL of node `index` (from 0): its store stays, as after a machine crash. */
  async kill(index: number): Promise<void> {
    const child = this.nodes[index]?.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts node `index` again on its store and waits until the cluster serves JetStream through it. */
  async restart(index: number): Promise<void> {
    this.spawn(this.nodes[index]!);
    await this.untilReady(index);
  }

  async destroy(): Promise<void> {
    for (let i = 0; i < this.nodes.length; i++) await this.kill(i);
    await rm(join(this.nodes[0]!.dir, '..'), { recursive: true, force: true });
  }

  private spawn(node: Node): void {
    const routes = this.nodes
      .filter((other) => other !== node)
      .map((other) => `nats://127.0.0.1:${other.clusterPort}`)
      .join(',');
    const args = ['-a', '127.0.0.1', '-p', String(node.port), '-n', node.name, '-js', '-sd', node.dir];
    const clusterArgs = ['--cluster_name', 'chaos', '--cluster', `nats://127.0.0.1:${node.clusterPort}`, '--routes', routes];
    const child = spawn('/usr/sbin/nats-server', [...args, ...clusterArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    node.child = child;
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    child.once('exit', () => process.off('exit', orphan));
    const keep = (chunk: Buffer) => (node.output = (node.output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }

  /** Until JetStream answers through the node (every node when none is named): its meta leader is elected. */
  private async untilReady(index?: number): Promise<void> {
    const nodes = index === undefined ? this.nodes : [this.nodes[index]!];
    for (const node of nodes) {
      await eventually(
        async () => {
          if (node.child?.exitCode !== null && node.child?.exitCode !== undefined) throw new Error(`nats-server ${node.name} exited:\n${node.output}`);
          const connection = await connectNats(`nats://127.0.0.1:${node.port}`, 'chaos:probe');
          try {
            await (await jetstreamManager(connection)).getAccountInfo();
          } finally {
            await connection.close();
          }
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    }
  }
}
