import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from './config/config.module.js';
import type { Environment } from './config/environment.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { AgentsModule } from './modules/agents/agents.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { EventsModule } from './modules/events/events.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import type { ServiceMetrics } from './modules/metrics/service-metrics.js';
import { ErrorFilter } from './shared/http/error.filter.js';

@Module({})
export class AppModule {
  /** The whole service on the database at `databaseUrl` (the embedded one, or DATABASE_URL), recording into `metrics`. */
  static forRoot(environment: Environment, databaseUrl: string, metrics: ServiceMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(environment),
        TypeOrmModule.forRoot(dataSourceOptions({ ...environment.database, url: databaseUrl })),
        CqrsModule.forRoot(),
        MetricsModule.forRoot(metrics),
        AuthModule,
        AgentsModule,
        EventsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
