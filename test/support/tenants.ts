import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Scope } from '../../src/shared/domain/caller.js';
import type { Tier } from '../../src/shared/domain/tier.js';
import { ApiKeyIssuer } from '../../src/modules/auth/api-key-issuer.js';
import { ApiKeyRepository } from '../../src/modules/auth/api-key.repository.js';
import { WorkspaceAdmin } from '../../src/modules/workspaces/workspace-admin.js';

export interface Tenant {
  readonly token: string;
  readonly keyId: string;
  readonly workspaceId: string;
  readonly projectId: string;
  readonly userId: string;
}

export interface TenantOptions {
  tier: Tier;
  scopes: Scope[];
  providers: { type: string; models: string[] }[];
  /** Another key in this tenant's workspace and project (a second user, other scopes). */
  workspaceId: string;
  projectId: string;
  userId: string;
  expiresAt: Date;
}

/** Workspaces, projects and keys for tests, made through the same code the CLI uses. */
export class TenantFactory {
  private readonly workspaces: WorkspaceAdmin;
  private readonly issuer: ApiKeyIssuer;

  constructor(dataSource: DataSource) {
    this.workspaces = new WorkspaceAdmin(dataSource);
    this.issuer = new ApiKeyIssuer(new ApiKeyRepository(dataSource));
  }

  async create(options: Partial<TenantOptions> = {}): Promise<Tenant> {
    let { workspaceId, projectId } = options;
    if (!workspaceId) {
      const workspace = await this.workspaces.create('Test workspace', options.tier ?? 'free');
      workspaceId = workspace.id;
      projectId ??= workspace.projectId;
    }
    projectId ??= await this.workspaces.firstProjectOf(workspaceId);
    for (const provider of options.providers ?? []) {
      await this.workspaces.connectProvider(workspaceId, provider.type, provider.models);
    }
    const key = await this.issuer.issue({
      workspaceId,
      projectId,
      userId: options.userId ?? `usr_${randomBytes(4).toString('hex')}`,
      scopes: options.scopes ?? ['agents:read', 'agents:write'],
      expiresAt: options.expiresAt ?? null,
    });
    return { token: key.token, keyId: key.id, workspaceId, projectId, userId: key.userId };
  }

  revoke(tenant: Tenant): Promise<boolean> {
    return this.issuer.revoke({ id: tenant.keyId });
  }
}
