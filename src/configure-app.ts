import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import type { Environment } from './config/environment.js';
import { buildOpenApiDocument } from './openapi.js';
import { refuseNonJsonBodies } from './shared/http/json-only.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Everything between Nest and the wire, shared by main.ts and the tests so they run the same pipeline. */
export function configureApp(app: NestFastifyApplication, environment: Pick<Environment, 'docsEnabled'>): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  refuseNonJsonBodies(fastify);
  app.enableShutdownHooks();
  if (environment.docsEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  }
}
