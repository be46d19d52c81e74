import pg from 'pg';
import { send, sleep } from './http.js';
import type { Tally } from './tally.js';

export interface CreateAttempt {
  readonly id: string;
  readonly status: number | null;
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  readonly error: string | undefined;
  readonly timedOut: boolean;
  /** performance.now() when it was sent. */
  readonly sentAt: number;
  readonly ms: number;
}

export interface StreamOptions {
  readonly baseUrl: () => string;
  readonly token: string;
  readonly tally: Tally;
  readonly loops: number;
  /** Each create names its agent `${prefix}-${loop}-${n}`: a unique custom id, to look up afterwards. */
  readonly prefix: string;
  readonly stop: () => boolean;
  /** A pause after a non-201, so that an outage is not a busy loop. */
  readonly pauseAfterFailureMs?: number;
  readonly timeoutMs?: number;
}

/** `loops` clients, each creating agents one after the other until `stop()`; every attempt recorded. */
export async function streamCreates(options: StreamOptions): Promise<CreateAttempt[]> {
  const attempts: CreateAttempt[] = [];
  const loop = async (index: number) => {
    for (let n = 0; !options.stop(); n++) {
      const id = `${options.prefix}-${index}-${n}`;
      const sentAt = performance.now();
      const answer = await send(options.tally, options.baseUrl(), {
        method: 'POST',
        path: '/v1/agents',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, name: `Stream ${id}`, model: 'claude-sonnet-4-5', metadata: { loop: index, n } }),
      }, options.timeoutMs ?? 15_000);
      attempts.push({
        id,
        status: answer.status,
        code: typeof answer.body?.code === 'string' ? answer.body.code : undefined,
        retryAfter: answer.headers?.get('retry-after') ?? null,
        error: answer.error,
        timedOut: answer.timedOut,
        sentAt,
        ms: answer.ms,
      });
      if (answer.status !== 201) await sleep(options.pauseAfterFailureMs ?? 20);
    }
  };
  await Promise.all(Array.from({ length: options.loops }, (_, index) => loop(index)));
  return attempts;
}

/** The ids of a project's agents (soft-deleted ones too), read straight from PostgreSQL. */
export async function storedAgentIds(databaseUrl: string, projectId: string): Promise<Set<string>> {
  return new Set((await storedAgentTransactions(databaseUrl, projectId)).keys());
}

/** Each stored agent of the project with the id of the transaction that wrote it (xmin). */
export async function storedAgentTransactions(databaseUrl: string, projectId: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; xmin: string }>('SELECT id, xmin::text AS xmin FROM agents WHERE project_id = $1', [projectId]);
    return new Map(rows.map((row) => [row.id, row.xmin]));
  } finally {
    await client.end();
  }
}

export interface Reconciliation {
  /** Answered 201, not stored. */
  readonly lost: string[];
  /** Stored, though its create got no 201. */
  readonly extra: CreateAttempt[];
}

/** Compares the answers with what the database holds. */
export function reconcile(attempts: readonly CreateAttempt[], stored: ReadonlySet<string>): Reconciliation {
  const acknowledged = attempts.filter((attempt) => attempt.status === 201).map((attempt) => attempt.id);
  const attempted = new Set(attempts.map((attempt) => attempt.id));
  const acknowledgedSet = new Set(acknowledged);
  return {
    lost: acknowledged.filter((id) => !stored.has(id)),
    extra: attempts.filter((attempt) => attempt.status !== 201 && stored.has(attempt.id) && attempted.has(attempt.id) && !acknowledgedSet.has(attempt.id)),
  };
}

/** Counts of the attempts by status (or by error for those without an answer), for messages. */
export function statusHistogram(attempts: readonly CreateAttempt[]): Record<string, number> {
  const histogram: Record<string, number> = {};
  for (const attempt of attempts) {
    const key = attempt.status === null ? `network(${attempt.timedOut ? 'timeout' : attempt.error})` : `${attempt.status}${attempt.code ? ` ${attempt.code}` : ''}`;
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  return histogram;
}
