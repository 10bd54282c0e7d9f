import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { createHttpApp } from '@app/http-app';
import { ConsoleModule } from './console.module.js';
import { configureConsoleWeb } from './web/console-web.js';

const config = loadConfig();
const app = await createHttpApp(ConsoleModule.register(config), { name: 'console', logLevel: config.LOG_LEVEL });
await configureConsoleWeb(app, config);
await app.listen(config.CONSOLE_PORT, '0.0.0.0');
