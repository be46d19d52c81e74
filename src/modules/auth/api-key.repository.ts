import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../shared/database/prepared-statement.js';
import type { Caller, Scope } from '../../shared/domain/caller.js';
import type { Tier } from '../../shared/domain/tier.js';
import { ApiKeyOrmEntity } from './api-key.orm-entity.js';

export interface ActiveKey {
  readonly caller: Caller;
  readonly expiresAt: Date | null;
}

interface CallerRow {
  id: string;
  workspace_id: string;
  project_id: string;
  user_id: string;
  scopes: Scope[];
  expires_at: Date | null;
  tier: Tier;
}

// The key and its workspace's tier in one round trip: every request asks it.
const FIND_BY_HASH = new PreparedStatement<CallerRow>(
  'api_key_by_hash',
  `SELECT k.id, k.workspace_id, k.project_id, k.user_id, k.scopes, k.expires_at, w.tier
     FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
    WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
);

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The unrevoked key with this token hash, and who it acts for; null when there is none. */
  async findActiveByHash(keyHash: Buffer): Promise<ActiveKey | null> {
    const [row] = await FIND_BY_HASH.run(this.dataSource, [keyHash]);
    if (!row) return null;
    // Frozen: the cache hands the same one to every request of the key.
    return Object.freeze({
      caller: Object.freeze({
        keyId: row.id,
        workspaceId: row.workspace_id,
        projectId: row.project_id,
        userId: row.user_id,
        scopes: Object.freeze(row.scopes),
        tier: row.tier,
      }),
      expiresAt: row.expires_at,
    });
  }

  async insert(key: Pick<ApiKeyOrmEntity, 'id' | 'keyHash' | 'workspaceId' | 'projectId' | 'userId' | 'scopes' | 'expiresAt'>): Promise<void> {
    await this.dataSource.getRepository(ApiKeyOrmEntity).insert(key);
  }

  /** Moves last_used_at forward for many keys in one statement. */
  async recordUse(lastUse: ReadonlyMap<string, Date>): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys k SET last_used_at = u.at
         FROM unnest($1::text[], $2::timestamptz[]) AS u(id, at)
        WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
      [[...lastUse.keys()], [...lastUse.values()]],
    );
  }

  /** Revokes the key with this id or token hash; false when no unrevoked key matched. */
  async revoke(match: { id: string } | { keyHash: Buffer }): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ApiKeyOrmEntity)
      .set({ revokedAt: () => 'now()' })
      .where('revoked_at IS NULL')
      .andWhere('id' in match ? 'id = :id' : 'key_hash = :keyHash', match)
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
