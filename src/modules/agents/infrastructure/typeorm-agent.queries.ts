import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgentQueries, type AgentCursor, type AgentFilter, type Page, type PageRequest } from '../application/agent-queries.port.js';
import type { Agent } from '../domain/agent.js';
import type { AgentVersion } from '../domain/agent-version.js';
import { toDomain, toVersion, type AgentRow, type AgentVersionRow } from './agent.mapper.js';

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
    const where = new Conditions();
    where.add(`project_id = ${where.param(projectId)} AND deleted_at IS NULL`);
    if (filter.model !== undefined) where.add(`model = ${where.param(filter.model)}`);
    if (filter.isActive !== undefined) where.add(`is_active = ${where.param(filter.isActive)}`);
    if (filter.isDefault !== undefined) where.add(`is_default = ${where.param(filter.isDefault)}`);
    if (filter.skill !== undefined) where.add(`enabled_skills @> ARRAY[${where.param(filter.skill)}]::text[]`);
    if (filter.q !== undefined) where.add(`name ILIKE ${where.param(`%${escapeLike(filter.q)}%`)} ESCAPE '\\'`);
    for (const [key, value] of Object.entries(filter.metadata ?? {})) {
      where.add(`metadata ->> ${where.param(key)} = ${where.param(value)}`);
    }
    const countSql = `SELECT count(*)::int AS count FROM agents WHERE ${where.sql}`;
    const countValues = [...where.values];

    const direction = page.order === 'desc' ? 'DESC' : 'ASC';
    if (page.after) {
      const before = page.order === 'desc' ? '<' : '>';
      where.add(`(created_at, id) ${before} (${where.param(page.after.createdAt)}::timestamptz, ${where.param(page.after.id)})`);
    }
    const pageSql = `SELECT * FROM agents WHERE ${where.sql} ORDER BY created_at ${direction}, id ${direction} LIMIT ${page.limit + 1}`;

    const [rows, [{ count }]] = await Promise.all([
      this.dataSource.query(pageSql, where.values) as Promise<AgentRow[]>,
      this.dataSource.query(countSql, countValues) as Promise<{ count: number }[]>,
    ]);
    const items = rows.slice(0, page.limit).map(toDomain);
    const last = items.at(-1)?.snapshot();
    return {
      items,
      next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
      totalCount: count,
    };
  }

  async listVersions(projectId: string, agentId: string, page: PageRequest<number>): Promise<Page<AgentVersion, number> | null> {
    const live = await this.dataSource.query('SELECT 1 FROM agents WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL', [projectId, agentId]);
    if (live.length === 0) return null;
    const direction = page.order === 'desc' ? 'DESC' : 'ASC';
    const after = page.after === undefined ? '' : `AND number ${page.order === 'desc' ? '<' : '>'} $3`;
    const values = page.after === undefined ? [projectId, agentId] : [projectId, agentId, page.after];
    const [rows, [{ count }]] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM agent_versions WHERE project_id = $1 AND agent_id = $2 ${after} ORDER BY number ${direction} LIMIT ${page.limit + 1}`,
        values,
      ) as Promise<AgentVersionRow[]>,
      this.dataSource.query('SELECT count(*)::int AS count FROM agent_versions WHERE project_id = $1 AND agent_id = $2', [projectId, agentId]) as Promise<
        { count: number }[]
      >,
    ]);
    const shown = rows.slice(0, page.limit);
    return {
      items: shown.map(toVersion),
      next: rows.length > page.limit ? shown.at(-1)!.number : null,
      totalCount: count,
    };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
