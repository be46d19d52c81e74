import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import type { Environment } from './config/environment.js';
import { buildOpenApiDocument } from './openapi.js';
import { closeConnectionsWhenStopping } from './shared/http/graceful-close.js';
import { refuseNonJsonBodies } from './shared/http/json-only.js';
import { loggingOptions, type RequestObserver } from './shared/http/logging.js';
import { PinoLoggerService } from './shared/http/pino-logger.service.js';
import { renderError } from './shared/http/render-error.js';
import { requestIdOf } from './shared/http/request-id.js';
import { securityHeaders } from './shared/http/security-headers.js';
import type { UnversionedPaths } from './shared/http/unversioned-paths.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The Fastify options of the service (main.ts and the tests alike). */
export function fastifyOptions(
  environment: Pick<Environment, 'requestTimeoutMs' | 'logLevel' | 'logFormat'>,
  observer: RequestObserver,
  unversioned: UnversionedPaths,
): FastifyServerOptions {
  return {
    ...loggingOptions({ level: environment.logLevel, format: environment.logFormat }, observer),
    rewriteUrl: unversioned.rewrite,
    bodyLimit: BODY_LIMIT_BYTES,
    // A request still arriving after this is dropped. Handlers have no timer of their own (Fastify's
    // handlerTimeout costs an AbortSignal per request): all they wait on is the database, whose
    // statement, query and connect timeouts bound them.
    requestTimeout: environment.requestTimeoutMs,
    // On close: idle keep-alive connections are closed at once, busy ones once answered.
    forceCloseConnections: 'idle',
    // Requests arriving while the server stops are answered by graceful-close.ts, in the contract's shape.
    return503OnClosing: false,
    genReqId: requestIdOf,
    // The router's own refusals, before any route: a path that does not decode (FST_ERR_BAD_URL)
    // or a parameter over maxParamLength (FST_ERR_MAX_PARAM_LENGTH). Fastify would answer them in
    // its own shape, quoting the path; no agent or version can have such an id: the contract's 404.
    frameworkErrors: (error, _request, reply) => {
      const notFound = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const rendered = renderError(notFound ? { statusCode: 404 } : error);
      void (reply as unknown as FastifyReply).status(rendered.status).headers(rendered.headers).send(rendered.body);
    },
  };
}

/** Everything between Nest and the wire, shared by main.ts and the tests so they run the same pipeline. */
export async function configureApp(
  app: NestFastifyApplication,
  environment: Pick<Environment, 'docsEnabled' | 'corsOrigins'>,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  app.useLogger(new PinoLoggerService(fastify.log));
  refuseNonJsonBodies(fastify);
  // The request id and the security headers (the same on every answer), in one hook.
  const headers = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    done();
  });
  closeConnectionsWhenStopping(fastify);
  if (environment.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...environment.corsOrigins],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'],
      maxAge: 600,
    });
  }
  if (environment.docsEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  }
}
