import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startHttpApp } from '@app/http-app';
import { SagaOrchestratorModule } from './saga-orchestrator.module.js';

const config = loadConfig();
await startHttpApp(SagaOrchestratorModule.register(config), { name: 'saga-orchestrator', port: config.SAGA_ORCHESTRATOR_PORT, logLevel: config.LOG_LEVEL });
