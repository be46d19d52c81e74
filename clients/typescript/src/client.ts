import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/openapi.js';
import { AgentsApiError, errorFromResponse } from './errors.js';
import { sseMessages } from './event-stream.js';

export type Agent = components['schemas']['AgentView'];
export type AgentCreate = components['schemas']['AgentCreate'];
export type AgentUpdate = components['schemas']['AgentUpdate'];
export type AgentVersion = components['schemas']['AgentVersionView'];
/** A CloudEvent 1.0 of the project's agent log, as the feed and the stream deliver it. */
export type AgentEvent = components['schemas']['CloudEventView'];
export type EventType = AgentEvent['type'];

export interface AgentsClientOptions {
  /** Where the service is, e.g. `https://agents.example.com` (the paths start with `/v1`). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  /** A fetch of your own (a proxy agent, a test double); `globalThis.fetch` by default. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

/** The routes that answer a page `{ data, has_more, next_cursor }` read on with `cursor`. */
export type ListPath = '/v1/agents' | '/v1/agents/{id}/versions';
type ListParameters<P extends ListPath> = paths[P]['get']['parameters'];
export type ListPage<P extends ListPath> = paths[P]['get']['responses'][200]['content']['application/json'];
export type ListItem<P extends ListPath> = ListPage<P>['data'][number];
/** The parameters of a list route: optional when it has no path parameter. */
type ListArguments<P extends ListPath> = object extends ListParameters<P> ? [params?: ListParameters<P>] : [params: ListParameters<P>];

export type FeedQuery = NonNullable<paths['/v1/events']['get']['parameters']['query']>;
export type FollowOptions = NonNullable<paths['/v1/events/stream']['get']['parameters']['query']> & {
  /** Stops the stream (the iterator then ends, without an error). */
  readonly signal?: AbortSignal;
  /** First wait before reconnecting a dropped stream, doubled up to 30 s while it keeps failing; 1,000 ms by default. */
  readonly reconnectDelayMs?: number;
};

export interface AgentsClient extends Client<paths> {
  /**
   * POST /v1/agents. With `idempotencyKey`, a retry with the same key and body replays the first
   * answer (`replayed: true`) and creates nothing.
   */
  createAgent(body: AgentCreate, options?: { idempotencyKey?: string }): Promise<{ agent: Agent; etag: string | null; replayed: boolean }>;
  /** GET /v1/agents/{id}, with the ETag to send as `ifMatch`. */
  getAgent(id: string): Promise<{ agent: Agent; etag: string | null }>;
  /** PATCH /v1/agents/{id}; with `ifMatch`, a 412 (`precondition_failed`) when the agent changed since. */
  updateAgent(id: string, patch: AgentUpdate, options?: { ifMatch?: string }): Promise<{ agent: Agent; etag: string | null }>;
  /**
   * GET /v1/agents/{id}/versions/{version}: a version, or a pinned read of a label (`production`)
   * or `latest`; `version.version` is the version it resolved to.
   */
  getVersion(id: string, versionOrLabel: string): Promise<{ version: AgentVersion; etag: string | null }>;
  /** Every page of a list route, following `next_cursor`. */
  pages<P extends ListPath>(path: P, ...params: ListArguments<P>): AsyncGenerator<ListPage<P>, void, undefined>;
  /** Every item of a list route, page after page. */
  listAll<P extends ListPath>(path: P, ...params: ListArguments<P>): AsyncGenerator<ListItem<P>, void, undefined>;
  readonly events: {
    /** The feed (GET /v1/events) from `after` to its current end, oldest first, page after page. */
    feed(query?: FeedQuery): AsyncGenerator<AgentEvent, void, undefined>;
    /**
     * The live stream (GET /v1/events/stream) from `after` (omitted: only new events), forever: a
     * dropped connection is resumed with `Last-Event-ID`; it ends when `signal` aborts. An answer
     * retrying cannot change (401, 403, 410 cursor_expired, 422) is thrown as an AgentsApiError.
     */
    follow(options?: FollowOptions): AsyncGenerator<AgentEvent, void, undefined>;
  };
}

/**
 * The openapi-fetch client of the Agents API (typed from its OpenAPI document), with the API key
 * set and every answer of 400 or more thrown as an AgentsApiError (a ValidationError for a 422),
 * plus the helpers above.
 */
export function createAgentsClient(options: AgentsClientOptions): AgentsClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const authorization = `Bearer ${options.apiKey}`;
  const client = createClient<paths>({ baseUrl, fetch: fetchImpl, headers: { Authorization: authorization } });
  client.use(throwOnError);

  // One loose signature for the two list routes: their parameter types differ only by the path.
  const getPage = client.GET as unknown as (path: ListPath, init: { params: { query?: Record<string, unknown>; path?: { id: string } } }) => Promise<{ data?: unknown }>;

  async function* pages<P extends ListPath>(path: P, ...[params]: ListArguments<P>): AsyncGenerator<ListPage<P>, void, undefined> {
    const given = (params ?? {}) as { query?: Record<string, unknown>; path?: { id: string } };
    let query = { ...given.query };
    for (;;) {
      const page = success((await getPage(path, { params: { ...given, query } })).data) as ListPage<P>;
      yield page;
      if (!page.has_more || page.next_cursor === null) return;
      query = { ...query, cursor: page.next_cursor };
    }
  }

  async function* listAll<P extends ListPath>(path: P, ...params: ListArguments<P>): AsyncGenerator<ListItem<P>, void, undefined> {
    for await (const page of pages(path, ...params)) yield* page.data as ListItem<P>[];
  }

  async function* feed(query: FeedQuery = {}): AsyncGenerator<AgentEvent, void, undefined> {
    let after = query.after;
    for (;;) {
      const { data } = await client.GET('/v1/events', { params: { query: { ...query, ...(after === undefined ? {} : { after }) } } });
      const page = success(data);
      yield* page.data;
      if (!page.has_more || page.next_cursor === null) return;
      after = page.next_cursor;
    }
  }

  async function* follow(followOptions: FollowOptions = {}): AsyncGenerator<AgentEvent, void, undefined> {
    const { signal, reconnectDelayMs = 1_000, after, ...filters } = followOptions;
    let lastEventId: string | undefined;
    let failures = 0;
    while (!signal?.aborted) {
      // The first connection starts after `after`; every later one after the last event received
      // (or after `after` still, when none came).
      const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const headers: Record<string, string> = { Authorization: authorization, Accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
      else if (after !== undefined) query.set('after', after);
      const request = new Request(`${baseUrl}/v1/events/stream${query.size > 0 ? `?${query}` : ''}`, { headers, ...(signal ? { signal } : {}) });
      let wait = Math.min(reconnectDelayMs * 2 ** failures, 30_000);
      try {
        const response = await fetchImpl(request);
        if (!response.ok || response.body === null) {
          const error = await errorFromResponse(response, request);
          if (!retryable(response.status)) throw error;
          wait = Math.max(wait, (error.retryAfter ?? 0) * 1_000);
          failures++;
        } else {
          failures = 0;
          for await (const message of sseMessages(response.body)) {
            const event = JSON.parse(message.data) as AgentEvent;
            lastEventId = message.id ?? event.position;
            yield event;
          }
        }
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof AgentsApiError) throw error;
        // The connection dropped (or never came up): resume after the last event received.
        failures++;
      }
      await sleep(wait, signal);
    }
  }

  return Object.assign(client, {
    async createAgent(body: AgentCreate, createOptions: { idempotencyKey?: string } = {}) {
      const header = createOptions.idempotencyKey === undefined ? {} : { 'Idempotency-Key': createOptions.idempotencyKey };
      const { data, response } = await client.POST('/v1/agents', { body, params: { header } });
      return { agent: success(data).agent, etag: response.headers.get('ETag'), replayed: response.headers.get('Idempotent-Replayed') === 'true' };
    },
    async getAgent(id: string) {
      const { data, response } = await client.GET('/v1/agents/{id}', { params: { path: { id } } });
      return { agent: success(data).agent, etag: response.headers.get('ETag') };
    },
    async updateAgent(id: string, patch: AgentUpdate, updateOptions: { ifMatch?: string } = {}) {
      const header = updateOptions.ifMatch === undefined ? {} : { 'If-Match': updateOptions.ifMatch };
      const { data, response } = await client.PATCH('/v1/agents/{id}', { params: { path: { id }, header }, body: patch });
      return { agent: success(data).agent, etag: response.headers.get('ETag') };
    },
    async getVersion(id: string, versionOrLabel: string) {
      const { data, response } = await client.GET('/v1/agents/{id}/versions/{version}', { params: { path: { id, version: versionOrLabel } } });
      return { version: success(data).version, etag: response.headers.get('ETag') };
    },
    pages,
    listAll,
    events: { feed, follow },
  });
}

/** Every answer of 400 or more becomes a thrown AgentsApiError (ValidationError for a 422). */
const throwOnError: Middleware = {
  async onResponse({ request, response }) {
    if (response.status >= 400) throw await errorFromResponse(response, request);
    return undefined;
  },
};

/** The body of a success: the middleware has thrown for every error already. */
function success<T>(data: T | undefined): T {
  if (data === undefined) throw new Error('the service answered without a body');
  return data;
}

/** A stream refusal worth retrying: rate limited, or the service (or a proxy before it) unavailable. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
