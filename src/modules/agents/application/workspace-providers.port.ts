/** An external model provider a workspace has connected, and the model ids it offers there. */
export interface ConnectedProvider {
  readonly providerType: string;
  readonly models: readonly string[];
}

/** What agents need of a workspace beyond the caller's key (a port: the adapter reads storage). */
export abstract class WorkspaceProviders {
  /** The external providers it has connected. */
  abstract connected(workspaceId: string): Promise<readonly ConnectedProvider[]>;
  /** The model chosen with `workspaces set-default-model`, or null. */
  abstract chosenDefaultModel(workspaceId: string): Promise<string | null>;
}
