import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { type DatabaseOptions, databaseModule } from '@app/database';
import { HTTP_APP_PROVIDERS, HealthModule, MetricsModule } from '@app/http-app';
import { CreateNotifications1732400000000 } from './migrations/1732400000000-create-notifications.js';
import { IndexNotificationsByClient1796500000000 } from './migrations/1796500000000-index-notifications-by-client.js';
import { NotifyClientHandler } from './notify-client/notify-client.handler.js';
import { ClientNotificationsController } from './read-notifications/client-notifications.controller.js';

/**
 * The notification worker's name, consumer group and transport settings: it handles two types of
 * the busiest stream and the orchestrator's transitions, so it lets reads gather for 20 ms and skips the rest unread.
 */
export const NOTIFICATION_WORKER = { name: 'notification-worker', group: 'notification', transport: { readPauseMs: 20 } } as const;

export const NOTIFICATION_DATABASE: DatabaseOptions = {
  url: (config: AppConfig) => config.NOTIFICATIONS_DATABASE_URL,
  schema: 'notification',
  entities: [],
  migrations: [CreateNotifications1732400000000, IndexNotificationsByClient1796500000000],
};

/** Tells the client how their checkout ended, once per checkout in either style, and lists what they were told. */
@Module({})
export class NotificationWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: NotificationWorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(NOTIFICATION_WORKER.name),
        databaseModule(NOTIFICATION_DATABASE),
        HealthModule.forRoot({ postgres: true }),
      ],
      controllers: [NotifyClientHandler, ClientNotificationsController],
      providers: [...HTTP_APP_PROVIDERS],
    };
  }
}
