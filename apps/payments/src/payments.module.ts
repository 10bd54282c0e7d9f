import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, APP_CONFIG, ConfigModule } from '@app/config';
import { PaymentTokenOpener } from '@app/contracts';
import { databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { AuthorizePaymentController } from './authorize-payment/authorize-payment.controller.js';
import { AuthorizePaymentHandler } from './authorize-payment/authorize-payment.handler.js';
import { CreateAuthorizations1732370000000 } from './migrations/1732370000000-create-authorizations.js';
import { CreateAuthorizationFunctions1796409602000 } from './migrations/1796409602000-create-authorization-functions.js';
import { AuthorizationQueriesController } from './query-authorizations/authorization-queries.controller.js';
import { VoidAuthorizationController } from './void-authorization/void-authorization.controller.js';
import { VoidAuthorizationHandler } from './void-authorization/void-authorization.handler.js';

export const PAYMENTS_DATABASE = {
  url: (config: AppConfig) => config.PAYMENTS_DATABASE_URL,
  schema: 'payments',
  // Raw SQL and one row mapper throughout; no entity is needed.
  entities: [],
  migrations: [CreateAuthorizations1732370000000, CreateAuthorizationFunctions1796409602000],
};

/** Simulated card authorizations per checkout, and their voids. */
@Module({})
export class PaymentsModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [ConfigModule.forRoot(config), MetricsModule.forRoot('payments'), databaseModule(PAYMENTS_DATABASE), HealthModule.forRoot({ postgres: true })],
      controllers: [AuthorizationQueriesController, AuthorizePaymentController, VoidAuthorizationController],
      providers: [
        ...HTTP_APP_PROVIDERS,
        // Refuses to start when the two keys are not one pair, rather than refusing every sealed token.
        {
          provide: PaymentTokenOpener,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => new PaymentTokenOpener(c.PAYMENT_TOKEN_PUBLIC_KEY, c.PAYMENT_TOKEN_PRIVATE_KEY),
        },
        AuthorizePaymentHandler,
        VoidAuthorizationHandler,
      ],
    };
  }
}
