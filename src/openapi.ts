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
        '`{detail: [{loc, msg, type}]}`; every other error is `{detail, code}`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key minted with `npm run cli -- api-keys create`' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key, as the ACP API sends it' }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}
