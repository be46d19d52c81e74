import { Global, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsServer } from './metrics-server.js';
import { ServiceMetrics, type PoolGauges } from './service-metrics.js';

/**
 * The service's metrics, injectable everywhere as `ServiceMetrics`. The instance is made before
 * the app (the HTTP server's request observer records into it) and handed in here.
 */
@Global()
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly dataSource: DataSource,
  ) {}

  static forRoot(metrics: ServiceMetrics): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: ServiceMetrics, useValue: metrics }, MetricsServer],
      exports: [ServiceMetrics, MetricsServer],
    };
  }

  onModuleInit(): void {
    // TypeORM's postgres driver keeps its pg Pool as `master`.
    this.metrics.watchPool((this.dataSource.driver as unknown as { master: PoolGauges }).master);
  }
}
