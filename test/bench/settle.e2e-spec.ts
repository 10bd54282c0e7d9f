import pg from 'pg';

/** The bench is plain JavaScript run by node; a computed specifier keeps the compiler from looking for its types. */
const bench = (file: string) => import(`./${file}`);

const ADMIN_URL = process.env['TEST_DATABASE_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('waiting for the system to settle before a step', () => {
  it('goes on once the system is quiet, and gives up at its limit while PostgreSQL keeps a core busy', async () => {
    const { untilQuiet } = await bench('rest.measure.mjs');
    // Quiet: no app of this checkout runs, and PostgreSQL and Redis have nothing to do.
    expect(await untilQuiet({ cores: 2, maxSeconds: 30 })).toEqual({ seconds: expect.any(Number), quiet: true });

    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query("SET statement_timeout = '4s'");
      // One backend counting for longer than the wait below: half of two cores, far above the 10% the wait asks for.
      const busy = client.query('SELECT count(*) FROM generate_series(1, 2000000000)').catch((error: unknown) => error);
      const waited = await untilQuiet({ cores: 2, maxSeconds: 1.5 });
      expect(waited).toEqual({ seconds: expect.any(Number), quiet: false });
      expect(waited.seconds).toBeGreaterThanOrEqual(1.5);
      await busy;
    } finally {
      await client.end();
    }
  }, 60_000);
});
