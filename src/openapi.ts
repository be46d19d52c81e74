import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document, from the same DTO classes that validate requests. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Agents API')
    .setDescription(
      'Create and manage agents (name, model, instructions, reasoning effort, skills, metadata) of the AI-agent ' +
        "execution platform. Every /v1 route needs an API key of the caller's project: " +
        '`Authorization: Bearer <key>` (or `X-API-Key: <key>`). Validation errors (422) list every problem as ' +
        '`{detail: [{loc, msg, type}], code: "validation_failed", error, message}`; every other error is ' +
        '`{detail, code, error, message}` (`error` the reason phrase and `message` a summary, for the ACP SDK). ' +
        'Every /v1 path is also served without the /v1 prefix (the same routes), as the ACP SDK calls them.',
    )
    .setVersion('1.0.0')
    // Relative: every instance serves its own document, so the paths are the ones of whoever serves it.
    .addServer('/', 'The instance serving this document (local, staging or production alike)', undefined, { 'x-internal': false })
    .addTag('Agents', "Create, list, read, change and delete the agents of the caller's project, and list the models it can use")
    .addTag('Versions', "An agent's immutable versions (one per change to its configuration, readable, restorable and comparable) and the labels that name them for runners to pin")
    .addTag('Events', "The project's log of agent changes (CloudEvents 1.0): a feed to page and a live stream (Server-Sent Events); with NATS_URL also relayed to JetStream")
    .addTag('Health', 'Liveness and readiness probes for the orchestrator: no key, outside /v1')
    .addBearerAuth(
      // Opaque keys (agk_ and 256 random bits), not JWTs: the builder's default bearerFormat would say JWT.
      { type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'An API key minted with `npm run cli -- api-keys create`' },
      'bearer',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key, as the ACP API sends it' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}
