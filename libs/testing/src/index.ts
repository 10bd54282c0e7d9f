export { type TestDatabase, createTestDatabase, assertTestDatabaseName } from './test-database.js';
export { eventually } from './eventually.js';
export { TEST_API_KEY, testConfig } from './test-config.js';
export { type TestApp, startTestApp } from './test-app.js';
export { ROOT, type ServiceName, ServiceProcess, ensureFreshBuild, freePort } from './processes/service-process.js';
export { BOOT_TIMEOUT_MS, ORDER_LIMIT_CENTS, type Database, type ParticipantsOptions, Participants } from './processes/participants.js';
