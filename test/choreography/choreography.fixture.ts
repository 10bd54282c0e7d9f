import { Choreography, Participants, TEST_API_KEY, createTestDatabase, testConfig } from '@app/testing';
import { participantClients } from './participant.clients.js';

/** A checkout test waits for events across processes, longer than Jest's default allows. */
export const TEST_TIMEOUT_MS = 30_000;

export interface ChoreographyScene {
  participants: Participants;
  choreography: Choreography;
  /** For a test to cause participant effects itself. */
  clients: ReturnType<typeof participantClients>;
  stop(): Promise<void>;
}

/**
 * Participants with a catalogue (stock and price per SKU), the six saga workers over them on a key
 * prefix of their own, and the participants' clients.
 */
export async function startChoreography(options: {
  label: string;
  catalogue: Record<string, { stock: number; priceCents: number }>;
  participantsEnv?: Record<string, string>;
  workersEnv?: Record<string, string>;
  /** Processes of each saga worker (default 1). */
  instances?: number;
}): Promise<ChoreographyScene> {
  const participants = await Participants.start({
    label: options.label,
    apiKey: TEST_API_KEY,
    createDatabase: createTestDatabase,
    env: options.participantsEnv,
  });
  let choreography: Choreography;
  try {
    await Promise.all(Object.entries(options.catalogue).map(([sku, { stock, priceCents }]) => participants.product(sku, stock, priceCents)));
    choreography = await Choreography.start({
      participants,
      apiKey: TEST_API_KEY,
      config: testConfig(),
      ...(options.workersEnv !== undefined && { env: options.workersEnv }),
      ...(options.instances !== undefined && { instances: options.instances }),
    });
  } catch (error) {
    await participants.stop();
    throw error;
  }
  const clients = participantClients(participants);
  return {
    participants,
    choreography,
    clients,
    stop: async () => {
      await clients.close();
      await choreography.stop();
      await participants.stop();
    },
  };
}
