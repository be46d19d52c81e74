import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Environment } from '../../config/environment.js';
import { ServiceMetrics } from './service-metrics.js';

/**
 * `GET /metrics` in the Prometheus text format on a port of its own (METRICS_PORT, on METRICS_HOST),
 * never on the API port: what it shows is for the operators' scraper, not for API clients.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | null = null;

  constructor(
    private readonly environment: Environment,
    private readonly metrics: ServiceMetrics,
  ) {}

  /** The port it listens on (METRICS_PORT, or the one the system chose), null when off. */
  get port(): number | null {
    return (this.server?.address() as AddressInfo | null)?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.environment.metrics;
    if (port === 0) return;
    const server = createServer((request, response) => void this.answer(request.method, request.url, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics at http://${host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(method: string | undefined, url: string | undefined, response: ServerResponse): Promise<void> {
    if ((url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method Not Allowed\n');
      return;
    }
    try {
      const body = await this.metrics.registry.metrics();
      response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`collecting the metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error\n');
    }
  }
}
