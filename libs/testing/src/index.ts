export { type TestDatabase, createTestDatabase, assertTestDatabaseName } from './test-database.js';
export { eventually } from './eventually.js';
export { TEST_API_KEY, testConfig } from './test-config.js';
export { type TestApp, startTestApp } from './test-app.js';
