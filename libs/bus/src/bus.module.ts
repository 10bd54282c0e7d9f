import { APP_CONFIG, type AppConfig } from '@app/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { BusAdmin, createBusAdmin } from './bus.admin.js';
import { createEventBus } from './bus.factory.js';
import { EventBus } from './event.bus.js';

export interface BusModuleOptions {
  /** The app's name, written as `producer` in the envelopes it publishes. */
  producer: string;
}

/**
 * Provides the {@link EventBus} of the configured bus (`BUS`, from the global `APP_CONFIG`); its
 * connection closes when the app shuts down. Consuming is not a module: it is the transport
 * `busServerFromConfig` returns, given to `connectMicroservice`.
 */
@Module({})
export class BusModule {
  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      providers: [{ provide: EventBus, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createEventBus(config, options.producer) }],
      exports: [EventBus],
    };
  }

  /** Provides the {@link BusAdmin} of the configured bus, for the apps that show and redrive its state. */
  static forAdmin(): DynamicModule {
    return {
      module: BusModule,
      providers: [{ provide: BusAdmin, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createBusAdmin(config) }],
      exports: [BusAdmin],
    };
  }
}
