import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Environment } from '../../config/environment.js';
import { inTransaction } from '../../shared/database/transaction-context.js';
import type { Caller } from '../../shared/domain/caller.js';
import type { HttpOutcome } from './http-outcome.js';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './idempotency.errors.js';

const TRY_LOCK = 'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked';
const FIND = `
  SELECT fingerprint, response_status, response_headers, response_body FROM idempotency_keys
   WHERE project_id = $1 AND api_key_id = $2 AND key = $3 AND expires_at > now()`;
// An expired row of the same key is replaced.
const SAVE = `
  INSERT INTO idempotency_keys (project_id, api_key_id, key, fingerprint, response_status, response_headers, response_body, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, now() + make_interval(hours => $8))
  ON CONFLICT (project_id, api_key_id, key) DO UPDATE SET
    fingerprint = EXCLUDED.fingerprint, response_status = EXCLUDED.response_status,
    response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body,
    created_at = now(), expires_at = EXCLUDED.expires_at`;
const DELETE_EXPIRED = 'DELETE FROM idempotency_keys WHERE expires_at <= now()';

interface StoredRow {
  fingerprint: Buffer;
  response_status: number;
  response_headers: Record<string, string>;
  response_body: unknown;
}

export type IdempotentResult = { readonly replayed: boolean; readonly outcome: HttpOutcome };

/**
 * Idempotency keys in PostgreSQL, so they hold across restarts and instances. The work, the
 * record of its answer and the key's lock share one transaction: either all of it commits, or
 * none and the key stays free for a retry.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly environment: Environment,
  ) {}

  /**
   * The stored answer to this key, or else `execute`'s, stored. `recordable` tells which errors
   * are answers to keep (the client's 4xx); any other error rolls everything back.
   */
  run(
    caller: Caller,
    key: string,
    fingerprint: Buffer,
    execute: () => Promise<HttpOutcome>,
    recordable: (error: unknown) => HttpOutcome | null,
  ): Promise<IdempotentResult> {
    return inTransaction(this.dataSource, async (manager) => {
      const [{ locked }] = await manager.query(TRY_LOCK, [`${caller.keyId}:${key}`]);
      if (!locked) throw new IdempotencyKeyInFlightError();
      const [stored]: StoredRow[] = await manager.query(FIND, [caller.projectId, caller.keyId, key]);
      if (stored) {
        if (!stored.fingerprint.equals(fingerprint)) throw new IdempotencyKeyReusedError();
        return { replayed: true, outcome: { status: stored.response_status, headers: stored.response_headers, body: stored.response_body } };
      }
      const outcome = await this.executeInSavepoint(execute, recordable);
      await this.save(manager, caller, key, fingerprint, outcome);
      return { replayed: false, outcome };
    });
  }

  async deleteExpired(): Promise<number> {
    const [, affected] = await this.dataSource.query(DELETE_EXPIRED);
    return affected ?? 0;
  }

  // A refused request (say a 409) aborts only its savepoint, so its answer can still be stored.
  private async executeInSavepoint(execute: () => Promise<HttpOutcome>, recordable: (error: unknown) => HttpOutcome | null): Promise<HttpOutcome> {
    try {
      return await inTransaction(this.dataSource, execute);
    } catch (error) {
      const outcome = recordable(error);
      if (outcome === null) throw error;
      return outcome;
    }
  }

  private async save(manager: EntityManager, caller: Caller, key: string, fingerprint: Buffer, outcome: HttpOutcome): Promise<void> {
    await manager.query(SAVE, [
      caller.projectId, caller.keyId, key, fingerprint, outcome.status,
      JSON.stringify(outcome.headers), JSON.stringify(outcome.body ?? null), this.environment.idempotencyTtlHours,
    ]);
  }
}
