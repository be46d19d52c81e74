// A client of the Charm seed, written as its users write one: openapi-fetch over the types that
// openapi-typescript generates from the seed (into ./generated/ at test time, not committed). The
// test type-checks this file against those types, then runs it against the service.
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/charm-seed.js';

export type CharmClient = Client<paths>;
export type CharmValidationError = components['schemas']['HTTPValidationError'];

export function charmClient(baseUrl: string, apiKey: string): CharmClient {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

/** All that the seed's AgentCreate requires: `user_id` and `name`, no model. */
export async function createRunner(client: CharmClient, userId: string) {
  const { data, error, response } = await client.POST('/v1/agents', { body: { user_id: userId, name: 'Runner' } });
  return { status: response.status, data, error };
}

/** The seed's nullable fields as null, as a generated client sends them. */
export async function createWithNulls(client: CharmClient, userId: string) {
  const { data, response } = await client.POST('/v1/agents', {
    body: { user_id: userId, name: 'Nulls', id: null, version: null, config: null, metadata: null },
  });
  return { status: response.status, data };
}

/** A body the seed's types accept and the service refuses: a blank name, a config too deep. */
export async function createInvalid(client: CharmClient, userId: string) {
  let deep: Record<string, unknown> = {};
  for (let level = 0; level < 40; level++) deep = { next: deep };
  const { error, response } = await client.POST('/v1/agents', { body: { user_id: userId, name: '   ', config: deep } });
  return { status: response.status, error: error as CharmValidationError | undefined };
}

/** Never called: proves that the generated types are real (each line must fail to compile). */
export function seedTypesAreEnforced(client: CharmClient): void {
  // @ts-expect-error the seed's AgentCreate requires name
  void client.POST('/v1/agents', { body: { user_id: 'usr_1' } });
  // @ts-expect-error the seed has no GET /v1/runs
  void client.GET('/v1/runs');
}
