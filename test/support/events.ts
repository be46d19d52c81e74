import type { DataSource } from 'typeorm';
import { call } from './http.js';
import type { Tenant } from './tenants.js';
import type { TestApp } from './test-app.js';

/** A CloudEvent as the feed returns it (parsed). */
export interface FeedEvent {
  readonly specversion: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: string;
  readonly projectid: string;
  readonly workspaceid: string;
  readonly position: string;
  readonly data: {
    readonly agent: Record<string, unknown>;
    readonly changedFields: string[];
    readonly cause: string;
    readonly actor: { readonly userId: string; readonly keyId: string };
    readonly hard?: boolean;
    readonly label?: { readonly name: string; readonly version: string | null };
  };
}

/** Resolves once the sequencer has given a position to every event committed before the call. */
export async function sequenced(dataSource: DataSource): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const [pending] = await dataSource.query('SELECT 1 FROM agent_events WHERE position IS NULL LIMIT 1');
    if (!pending) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('events still without a position after 4 s');
}

/** Every event of the tenant's feed after `after` (all pages), once everything committed so far is sequenced. */
export async function readFeed(t: Pick<TestApp, 'baseUrl' | 'dataSource'>, tenant: Tenant, query: Record<string, string> = {}, after?: string): Promise<FeedEvent[]> {
  await sequenced(t.dataSource);
  const events: FeedEvent[] = [];
  let cursor = after;
  for (;;) {
    const params = new URLSearchParams({ ...query, limit: '1000', ...(cursor ? { after: cursor } : {}) });
    const answer = await call(t.baseUrl, 'GET', `/v1/events?${params}`, { tenant });
    if (answer.status !== 200) throw new Error(`GET /v1/events: ${answer.status} ${JSON.stringify(answer.body)}`);
    events.push(...(answer.body.data as FeedEvent[]));
    cursor = answer.body.next_cursor ?? cursor;
    if (!answer.body.has_more) return events;
  }
}

/** The position the tenant's feed has reached now: read after it to see only what comes next. */
export async function feedEnd(t: Pick<TestApp, 'baseUrl' | 'dataSource'>, tenant: Tenant): Promise<string> {
  const events = await readFeed(t, tenant);
  return events.at(-1)?.position ?? '000000000000000000';
}
