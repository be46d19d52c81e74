import { randomBytes } from 'node:crypto';
import type { Scope } from '../../shared/domain/caller.js';
import { hashApiKeyToken, newApiKeyToken } from './api-key-token.js';
import type { ApiKeyRepository } from './api-key.repository.js';

export interface IssuedKey {
  /** The only time the token is shown: only its hash is stored. */
  readonly token: string;
  readonly id: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly userId: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt: string | null;
}

export interface KeyRequest {
  readonly workspaceId: string;
  readonly projectId: string;
  readonly userId: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt?: Date | null;
}

export class ApiKeyIssuer {
  constructor(private readonly keys: ApiKeyRepository) {}

  async issue(request: KeyRequest): Promise<IssuedKey> {
    const token = newApiKeyToken();
    const id = `key_${randomBytes(12).toString('base64url')}`;
    const expiresAt = request.expiresAt ?? null;
    await this.keys.insert({
      id,
      keyHash: hashApiKeyToken(token),
      workspaceId: request.workspaceId,
      projectId: request.projectId,
      userId: request.userId,
      scopes: [...request.scopes],
      expiresAt,
    });
    return { token, id, ...request, expiresAt: expiresAt?.toISOString() ?? null };
  }

  /** By token or by key id; false when nothing unrevoked matched. */
  revoke(match: { token: string } | { id: string }): Promise<boolean> {
    return this.keys.revoke('token' in match ? { keyHash: hashApiKeyToken(match.token) } : { id: match.id });
  }
}
