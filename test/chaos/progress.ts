/** A line on the terminal while a run goes on (a full run takes a quarter of an hour), timestamped. */
export function progress(line: string): void {
  process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** Runs `step` and reports how long it took. */
export async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const begun = Date.now();
  try {
    return await step();
  } finally {
    progress(`  ${what}: ${((Date.now() - begun) / 1_000).toFixed(1)} s`);
  }
}
