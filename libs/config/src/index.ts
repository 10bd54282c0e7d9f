export { EnvSchema } from './env.schema.js';
export { type AppConfig, ConfigError, loadConfig, apiKeysOf } from './load-config.js';
export { APP_CONFIG, ConfigModule } from './config.module.js';
export { TRACING_PRELOAD, tracingEnabled, tracingRequested, tracesEndpointOf, resourceAttributesOf } from './tracing.settings.js';
