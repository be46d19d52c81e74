import type { Agent } from '../domain/agent.js';
import type { AgentLabel } from '../domain/agent-label.js';
import type { AgentVersion } from '../domain/agent-version.js';

export interface AgentFilter {
  readonly model?: string;
  readonly isActive?: boolean;
  readonly isDefault?: boolean;
  readonly skill?: string;
  /** Case-insensitive substring of the name. */
  readonly q?: string;
  /** Exact matches of top-level metadata values. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Where a page starts: after the row with this sort key, in the page's order. */
export interface AgentCursor {
  readonly createdAt: Date;
  readonly id: string;
}

export interface PageRequest<Cursor> {
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  readonly after?: Cursor;
}

export interface Page<Item, Cursor> {
  readonly items: readonly Item[];
  /** The key of the last item when more follow, else null. */
  readonly next: Cursor | null;
  readonly totalCount: number;
}

/** Reads of agents and versions (a port: the adapter queries storage directly, no aggregate rules apply). */
export abstract class AgentQueries {
  abstract list(projectId: string, filter: AgentFilter, page: PageRequest<AgentCursor>): Promise<Page<Agent, AgentCursor>>;

  /** Null when the project has no live agent `agentId`. */
  abstract listVersions(projectId: string, agentId: string, page: PageRequest<number>): Promise<Page<AgentVersion, number> | null>;

  /** The labels set on the agent, by name; null when the project has no live agent `agentId`. */
  abstract listLabels(projectId: string, agentId: string): Promise<AgentLabel[] | null>;
}
