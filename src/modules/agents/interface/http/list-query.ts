import { MAX_METADATA_FILTERS, MAX_TEXT, QueryReader } from '../../../../shared/http/query-reader.js';
import type { AgentCursor, AgentFilter, PageRequest } from '../../application/agent-queries.port.js';
import { decodeAgentCursor, decodeVersionCursor } from './page-cursor.js';

export const PAGE_LIMIT = { default: 20, max: 100 } as const;
export { MAX_METADATA_FILTERS, MAX_TEXT };

export function parseListAgentsQuery(query: Record<string, unknown> = {}): { filter: AgentFilter; page: PageRequest<AgentCursor> } {
  const reader = new QueryReader(query);
  const filter: AgentFilter = {
    model: reader.text('model'),
    isActive: reader.boolean('isActive'),
    isDefault: reader.boolean('isDefault'),
    skill: reader.text('skill'),
    q: reader.text('q'),
    metadata: reader.metadata(),
  };
  const page = { limit: reader.limit(PAGE_LIMIT), order: reader.order(), after: reader.cursor(decodeAgentCursor) };
  reader.finish();
  return { filter, page };
}

export function parseListVersionsQuery(query: Record<string, unknown> = {}): PageRequest<number> {
  const reader = new QueryReader(query);
  const page = { limit: reader.limit(PAGE_LIMIT), order: reader.order(), after: reader.cursor(decodeVersionCursor) };
  reader.finish();
  return page;
}
