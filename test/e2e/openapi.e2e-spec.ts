import SwaggerParser from '@apidevtools/swagger-parser';
import { call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('OpenAPI document and Swagger UI', () => {
  let t: TestApp;
  let document: any;
  beforeAll(async () => {
    t = await startTestApp();
    document = (await call(t.baseUrl, 'GET', '/openapi.json')).body;
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toHaveProperty('openapi', document.openapi);
  });

  it('serves Swagger UI at /docs without a key', async () => {
    const answer = await call(t.baseUrl, 'GET', '/docs');
    expect(answer.status).toBe(200);
    expect(String(answer.body)).toContain('swagger-ui');
  });

  it('declares the bearer scheme and puts every /v1 route behind it', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const v1 = Object.entries<any>(document.paths).filter(([path]) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(5);
    for (const [path, item] of v1) {
      for (const operation of Object.values<any>(item)) {
        expect([path, operation.security]).toEqual([path, expect.arrayContaining([{ bearer: [] }])]);
        expect([path, Object.keys(operation.responses)]).toEqual([path, expect.arrayContaining(['401', '403'])]);
      }
    }
  });

  it('documents every status of POST /v1/agents with its body', () => {
    const responses = document.paths['/v1/agents'].post.responses;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '429', '500']);
    expect(responses['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/HTTPValidationError');
    expect(responses['409'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
    expect(responses['201'].headers.Location).toBeTruthy();
  });

  it('describes every field of the create body with a type, a description and an example', () => {
    const schema = document.components.schemas.AgentCreate;
    expect(schema.required).toEqual(['name']);
    for (const [name, property] of Object.entries<any>(schema.properties)) {
      expect([name, typeof property.description]).toEqual([name, 'string']);
      expect([name, property.type ?? property.$ref ?? property.allOf]).not.toEqual([name, undefined]);
    }
    expect(schema.properties.reasoningEffort.enum).toEqual(['minimal', 'low', 'medium', 'high']);
    expect(schema.properties.name).toMatchObject({ minLength: 1, maxLength: 255 });
    expect(schema.properties.id.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9._-]*$');
  });

  it('leaves health outside /v1 and without a key', () => {
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/v1/')).sort()).toEqual(['/health/live', '/health/ready']);
    expect(document.paths['/health/ready'].get.security).toBeUndefined();
  });

  it('matches the reviewed snapshot (a contract change shows up in review)', () => {
    expect(document).toMatchSnapshot();
  });
});
