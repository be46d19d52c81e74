import { WorkspaceProviders, type ConnectedProvider } from '../../src/modules/agents/application/workspace-providers.port.js';
import type { Caller } from '../../src/shared/domain/caller.js';

/** The WorkspaceProviders port with fixed providers and default model, recording which workspaces it was asked for. */
export class FakeProviders extends WorkspaceProviders {
  readonly asked: string[] = [];

  constructor(
    private readonly providers: ConnectedProvider[] = [],
    private readonly defaultModel: string | null = null,
  ) {
    super();
  }

  async connected(workspaceId: string): Promise<readonly ConnectedProvider[]> {
    this.asked.push(workspaceId);
    return this.providers;
  }

  async chosenDefaultModel(workspaceId: string): Promise<string | null> {
    this.asked.push(workspaceId);
    return this.defaultModel;
  }
}

/** A free-tier caller with read and write scopes, with overrides. */
export const caller = (overrides: Partial<Caller> = {}): Caller => ({
  keyId: 'key_1', workspaceId: 'ws_1', projectId: 'prj_1', userId: 'usr_1',
  scopes: ['agents:read', 'agents:write'], tier: 'free', ...overrides,
});

/** Where the changes a test makes directly on a repository come from (the default caller's). */
export const ORIGIN = { workspaceId: 'ws_1', userId: 'usr_1', keyId: 'key_1' } as const;
