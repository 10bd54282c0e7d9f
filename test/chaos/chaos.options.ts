/** How a chaos run is sized and which faults it injects, from CHAOS_* variables (the only settings of `npm run chaos`). */
export interface ChaosOptions {
  /** Injections of each fault (CHAOS_CYCLES, default 10; 1 checks the harness quickly). */
  cycles: number;
  /** Checkouts started per second, both styles together (CHAOS_RATE, default 20). */
  rate: number;
  /** The faults to run, by name (CHAOS_FAULTS, comma list; default all). */
  faults: readonly string[] | undefined;
  /** Where the report is written (CHAOS_OUT, default reports/chaos). */
  outDir: string;
  /** The bus of the system under test (BUS, default redis-streams; nats runs a three-node JetStream cluster of the suite's own). */
  bus: 'redis-streams' | 'nats';
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return parsed;
}

function busOf(value: string | undefined): 'redis-streams' | 'nats' {
  if (value === undefined || value === '' || value === 'redis-streams') return 'redis-streams';
  if (value === 'nats') return 'nats';
  throw new Error(`BUS must be redis-streams or nats, got "${value}"`);
}

/** Reads and checks the CHAOS_* variables; a bad value fails the run before anything starts. */
export function chaosOptionsOf(env: NodeJS.ProcessEnv): ChaosOptions {
  const faults = env['CHAOS_FAULTS']
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return {
    cycles: Math.round(positive('CHAOS_CYCLES', env['CHAOS_CYCLES'], 10)),
    rate: positive('CHAOS_RATE', env['CHAOS_RATE'], 20),
    faults: faults === undefined || faults.length === 0 ? undefined : faults,
    outDir: env['CHAOS_OUT'] ?? 'reports/chaos',
    bus: busOf(env['BUS']),
  };
}
