export { Public, IS_PUBLIC } from './public.decorator.js';
export { ApiKeyGuard } from './api-key.guard.js';
export { DomainErrorFilter } from './domain-error.filter.js';
export { createValidationPipe } from './validation.pipe.js';
export { HealthModule } from './health/health.module.js';
export { MetricsModule } from './metrics.module.js';
export { FaultInjectionInterceptor } from './fault-injection.interceptor.js';
export { BODY_LIMIT_BYTES, HTTP_APP_PROVIDERS, type HttpAppOptions, createFastifyAdapter, configureHttpApp, createHttpApp, startHttpApp } from './http-app.js';
export { type WorkerAppOptions, startWorkerApp } from './worker-app.js';
