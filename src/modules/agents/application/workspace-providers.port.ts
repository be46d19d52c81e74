/** An external model provider a workspace has connected, and the model ids it offers there. */
export interface ConnectedProvider {
  readonly providerType: string;
  readonly models: readonly string[];
}

/** The external providers of a workspace (a port: the adapter reads storage). */
export abstract class WorkspaceProviders {
  abstract connected(workspaceId: string): Promise<readonly ConnectedProvider[]>;
}
