import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { type AppConfig, ConfigModule } from '@app/config';
import { HealthModule, MetricsModule } from '@app/http-app';
import { BackendClient } from './backend/backend.client.js';
import { BusController } from './bus/bus.controller.js';
import { CompareController } from './compare/compare.controller.js';
import { OperationsController } from './operations/operations.controller.js';
import { OverviewController } from './overview/overview.controller.js';
import { OverviewSampler } from './overview/overview.sampler.js';
import { SignInController } from './sign-in/sign-in.controller.js';
import { StartCheckoutController } from './start-checkout/start-checkout.controller.js';
import { CheckoutDetailReader } from './view-checkout/checkout-detail.reader.js';
import { ViewCheckoutController } from './view-checkout/view-checkout.controller.js';
import { ConsoleErrorFilter } from './web/console-error.filter.js';
import { CsrfGuard } from './web/csrf.guard.js';
import { SignedInGuard } from './web/signed-in.guard.js';
import { ViewRenderer } from './web/view.renderer.js';

/**
 * The web console: server-rendered pages over the apps' own HTTP APIs and /metrics. It holds no
 * data of its own and no key of its own: it calls the apps with the key the person signed in with.
 */
@Module({})
export class ConsoleModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forRoot('console'), HealthModule.forRoot({ postgres: false })],
      controllers: [
        SignInController,
        OverviewController,
        StartCheckoutController,
        ViewCheckoutController,
        CompareController,
        OperationsController,
        BusController,
      ],
      providers: [
        // CSRF first: a forged POST is refused before anything else looks at it.
        { provide: APP_GUARD, useClass: CsrfGuard },
        { provide: APP_GUARD, useClass: SignedInGuard },
        { provide: APP_FILTER, useClass: ConsoleErrorFilter },
        BackendClient,
        OverviewSampler,
        CheckoutDetailReader,
        ViewRenderer,
      ],
    };
  }
}
