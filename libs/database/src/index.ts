export { type DatabaseOptions, dataSourceOptions, ensureSchema, databaseModule } from './database.module.js';
export { rowsOf } from './rows-of.js';
