import { SUITE_APPLICATION_NAME } from '../stack.js';
import { type Fault, hold } from './fault.js';

const CUT_MS = 1_000;
const EVERY_MS = 200;

/** Every connection of every app to the database is terminated, again and again for a second: queries fail mid-transaction. */
export const cutPostgres: Fault = {
  name: 'cut-postgres',
  description: `pg_terminate_backend of every app connection to the database, every ${EVERY_MS} ms for ${CUT_MS / 1_000} s`,
  async inject({ stack }) {
    const until = Date.now() + CUT_MS;
    while (Date.now() < until) {
      await stack.sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> $1`,
        [SUITE_APPLICATION_NAME],
      );
      await hold(EVERY_MS);
    }
  },
};
