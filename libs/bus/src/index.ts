export { EventBus } from './event.bus.js';
export { BusModule, type BusModuleOptions } from './bus.module.js';
export { type BusServerOptions, busServerFromConfig, createEventBus } from './bus.factory.js';
export { BusAdmin, type BusStreamSummary, createBusAdmin } from './bus.admin.js';
