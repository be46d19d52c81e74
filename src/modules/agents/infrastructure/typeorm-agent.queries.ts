import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgentQueries, type AgentCursor, type AgentFilter, type Page, type PageRequest } from '../application/agent-queries.port.js';
import type { Agent } from '../domain/agent.js';
import type { AgentLabel } from '../domain/agent-label.js';
import type { AgentVersion } from '../domain/agent-version.js';
import { toDomain, toLabel, toVersion, type AgentLabelRow, type AgentRow, type AgentVersionRow } from './agent.mapper.js';

/** A WHERE clause and its parameters, numbered as they are added. */
class Conditions {
  readonly clauses: string[] = [];
  readonly values: unknown[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  get sql(): string {
    return this.clauses.join(' AND ');
  }
}

/**
 * Keyset pages over the (project_id, created_at, id) index of live agents: a page starts strictly
 * after the last row of the one before, so rows inserted meanwhile never shift it (no row twice,
 * none skipped). No OFFSET anywhere.
 */
@Injectable()
export class TypeOrmAgentQueries extends AgentQueries {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async list(projectId: string, filter: AgentFilter, page: PageRequest<AgentCursor>): Promise<Page<Agent, AgentCursor>> {
    const { sql, values } = listStatement(projectId, filter, page);
    const rows: (PageRow & Partial<AgentRow>)[] = await this.dataSource.query(sql, values);
    const found = rows.filter((row): row is PageRow & AgentRow => row.id != null);
    const items = found.slice(0, page.limit).map(toDomain);
    const last = items.at(-1)?.snapshot();
    return {
      items,
      next: found.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
      totalCount: rows[0].total_count,
    };
  }

  async listVersions(projectId: string, agentId: string, page: PageRequest<number>): Promise<Page<AgentVersion, number> | null> {
    const direction = page.order === 'desc' ? 'DESC' : 'ASC';
    const after = page.after === undefined ? '' : `AND number ${page.order === 'desc' ? '<' : '>'} $3`;
    const values = page.after === undefined ? [projectId, agentId] : [projectId, agentId, page.after];
    // Whether the agent is live, the count and the page: one statement, one snapshot.
    const rows: (PageRow & { agent_live: boolean } & Partial<AgentVersionRow>)[] = await this.dataSource.query(
      `SELECT live.agent_live, total.total_count, page.*
         FROM (SELECT EXISTS (SELECT 1 FROM agents WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL) AS agent_live) AS live
        CROSS JOIN (SELECT count(*)::int AS total_count FROM agent_versions WHERE project_id = $1 AND agent_id = $2) AS total
         LEFT JOIN LATERAL (
           SELECT * FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ${after} ORDER BY number ${direction} LIMIT ${page.limit + 1}
         ) AS page ON live.agent_live
        ORDER BY page.number ${direction}`,
      values,
    );
    if (!rows[0].agent_live) return null;
    const found = rows.filter((row): row is PageRow & { agent_live: boolean } & AgentVersionRow => row.number != null);
    const shown = found.slice(0, page.limit);
    return {
      items: shown.map(toVersion),
      next: found.length > page.limit ? shown.at(-1)!.number : null,
      totalCount: rows[0].total_count,
    };
  }

  async listLabels(projectId: string, agentId: string): Promise<AgentLabel[] | null> {
    // Whether the agent is live and its labels: one statement, one snapshot.
    const rows: ({ agent_live: boolean } & Partial<AgentLabelRow>)[] = await this.dataSource.query(
      `SELECT live.agent_live, label.name, label.version, label.updated_at
         FROM (SELECT EXISTS (SELECT 1 FROM agents WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL) AS agent_live) AS live
         LEFT JOIN agent_labels AS label ON live.agent_live AND label.project_id = $1 AND label.agent_id = $2
        ORDER BY label.name COLLATE "C"`,
      [projectId, agentId],
    );
    if (!rows[0].agent_live) return null;
    return rows.filter((row): row is { agent_live: boolean } & AgentLabelRow => row.name != null).map(toLabel);
  }
}

/**
 * The list's one statement: the count of the filtered set and the page, from one snapshot (they
 * agree while others write; an empty page is one row of nulls beside the count).
 */
export function listStatement(projectId: string, filter: AgentFilter, page: PageRequest<AgentCursor>): { sql: string; values: unknown[] } {
  const where = new Conditions();
  const project = where.param(projectId);
  where.add(`project_id = ${project} AND deleted_at IS NULL`);
  if (filter.model !== undefined) where.add(`model = ${where.param(filter.model)}`);
  if (filter.isActive !== undefined) where.add(`is_active = ${where.param(filter.isActive)}`);
  if (filter.isDefault !== undefined) where.add(`is_default = ${where.param(filter.isDefault)}`);
  if (filter.skill !== undefined) where.add(`enabled_skills @> ARRAY[${where.param(filter.skill)}]::text[]`);
  // agents_name_trigrams answers this (for three characters or more).
  if (filter.q !== undefined) where.add(`name ILIKE ${where.param(`%${escapeLike(filter.q)}%`)} ESCAPE '\\'`);
  // Each key holds exactly its string: agents_metadata_tokens finds the project's agents that hold
  // every pair (the tokens of the agent and of the filter, as the migration makes them), and the
  // containment is then checked on the row itself.
  if (filter.metadata !== undefined) {
    const pairs = where.param(JSON.stringify(filter.metadata));
    where.add(`agent_metadata_tokens(project_id, metadata) @> agent_metadata_tokens(${project}, ${pairs}::jsonb) AND metadata @> ${pairs}::jsonb`);
  }
  const direction = page.order === 'desc' ? 'DESC' : 'ASC';
  const matching = where.sql;
  const filtered = where.clauses.length > 1;
  if (page.after) {
    const before = page.order === 'desc' ? '<' : '>';
    where.add(`(created_at, id) ${before} (${where.param(page.after.createdAt)}::timestamptz, ${where.param(page.after.id)})`);
  }
  // Without a filter, the project's live agents are counted already (agent_counts, kept by triggers in
  // the same transactions): a sum of at most 16 rows however big the project, from the same snapshot.
  const total = filtered
    ? `SELECT count(*)::int AS total_count FROM agents WHERE ${matching}`
    : `SELECT coalesce(sum(live), 0)::int AS total_count FROM agent_counts WHERE project_id = $1`;
  const sql = `SELECT total.total_count, page.*
       FROM (${total}) AS total
       LEFT JOIN LATERAL (
         SELECT * FROM agents WHERE ${where.sql} ORDER BY created_at ${direction}, id ${direction} LIMIT ${page.limit + 1}
       ) AS page ON true
      ORDER BY page.created_at ${direction}, page.id ${direction}`;
  return { sql, values: where.values };
}

/** The count of the whole filtered set, on every row of a page query. */
interface PageRow {
  total_count: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
