import { connectNats } from '@app/nats-jetstream';
import { jetstreamManager } from '@nats-io/jetstream';

/** Deletes a test's JetStream streams (their consumers and dead letters with them), all under its `NATS_PREFIX`. */
export async function deleteStreamsWithPrefix(url: string, prefix: string): Promise<void> {
  // Never without a prefix: that would be every stream of the server.
  if (prefix === '') return;
  const connection = await connectNats(url, 'test:cleanup');
  try {
    const jsm = await jetstreamManager(connection);
    for await (const name of jsm.streams.names()) if (name.startsWith(prefix)) await jsm.streams.delete(name);
  } finally {
    await connection.close();
  }
}
