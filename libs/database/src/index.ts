export { type DatabaseOptions, dataSourceOptions, ensureSchema, migrate, databaseModule } from './database.module.js';
export { rowsOf } from './rows-of.js';
