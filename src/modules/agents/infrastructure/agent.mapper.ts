import { getMetadataArgsStorage } from 'typeorm';
import { Agent, type AgentProps } from '../domain/agent.js';
import type { AgentLabel } from '../domain/agent-label.js';
import { storedConfiguration, type AgentVersion, type VersionAuthor } from '../domain/agent-version.js';
import { AgentOrmEntity } from './agent.orm-entity.js';

/** Exactly the same keys (a type-level check: it compiles only when `A` and `B` name the same ones). */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;

/** The entity's properties that hold the aggregate's fields: all of them but the soft-delete time. */
export type AgentColumnProperty = Exclude<keyof AgentOrmEntity, 'deletedAt'>;

/**
 * Compile-time checks that a field and its column cannot drift apart: the entity has a column for
 * every field of the aggregate and no other (but deletedAt), and what a column reads back is what
 * the field holds. A versioned field added to the domain without its column fails to compile here.
 */
export const ENTITY_MATCHES_AGGREGATE: SameKeys<Pick<AgentOrmEntity, AgentColumnProperty>, AgentProps> = true;
export const COLUMNS_READ_AS_FIELDS: { [K in AgentColumnProperty]: AgentOrmEntity[K] } extends Pick<AgentProps, AgentColumnProperty> ? true : never = true;

export interface AgentColumn {
  readonly property: AgentColumnProperty;
  /** The column's name in SQL. */
  readonly name: string;
  /** Its type, as a parameter cast: `text`, `jsonb`, `text[]`… */
  readonly sqlType: string;
}

/**
 * The agents columns the aggregate fills, in the entity's order, read once from its decorators:
 * the mapper and the repository's statements (column lists, placeholders) all follow this list.
 */
export const AGENT_COLUMNS: readonly AgentColumn[] = getMetadataArgsStorage()
  .columns.filter((column) => column.target === AgentOrmEntity && column.propertyName !== ('deletedAt' satisfies keyof AgentOrmEntity))
  .map((column) => ({
    property: column.propertyName as AgentColumnProperty,
    name: column.options.name ?? column.propertyName,
    sqlType: `${String(column.options.type)}${column.options.array ? '[]' : ''}`,
  }));

/** AGENT_COLUMNS' names, as a statement's column list. */
export const AGENT_COLUMN_LIST = AGENT_COLUMNS.map((column) => column.name).join(', ');

const JSON_COLUMNS: ReadonlySet<AgentColumnProperty> = new Set(AGENT_COLUMNS.filter((column) => column.sqlType === 'jsonb').map((column) => column.property));

/** The placeholder (`$n`) of a column in the parameters of toPersistence. */
export function parameterOf(property: AgentColumnProperty): string {
  const index = AGENT_COLUMNS.findIndex((column) => column.property === property);
  if (index < 0) throw new Error(`No agents column for ${property}`);
  return `$${index + 1}`;
}

/** A row as TypeORM or node-postgres returns it: the entity's columns under their column names. */
export type AgentRow = Readonly<Record<string, unknown>>;

const TIME_COLUMNS: ReadonlySet<AgentColumnProperty> = new Set(AGENT_COLUMNS.filter((column) => column.sqlType === 'timestamptz').map((column) => column.property));

/** A row as node-postgres parses it, or as row_to_json writes it (its times are ISO strings then). */
export function toDomain(row: AgentRow): Agent {
  const props: Partial<Record<AgentColumnProperty, unknown>> = {};
  for (const column of AGENT_COLUMNS) {
    const value = row[column.name];
    props[column.property] = typeof value === 'string' && TIME_COLUMNS.has(column.property) ? new Date(value) : value;
  }
  // Every column of AGENT_COLUMNS, which holds one per field of the aggregate (checked above).
  return Agent.reconstitute(props as AgentProps);
}

/** The agent's columns in AGENT_COLUMNS order, as query parameters (JSON columns as JSON text, SQL NULL for null). */
export function toPersistence(agent: Agent): unknown[] {
  const a = agent.snapshot();
  return AGENT_COLUMNS.map(({ property }) => {
    const value = a[property];
    return value !== null && JSON_COLUMNS.has(property) ? JSON.stringify(value) : value;
  });
}

export interface AgentVersionRow {
  project_id: string;
  agent_id: string;
  number: number;
  version: string;
  /** As stored: a version written before a field existed lacks it. */
  configuration: Readonly<Record<string, unknown>>;
  created_at: Date;
  created_by: VersionAuthor | null;
}

export function toVersion(row: AgentVersionRow): AgentVersion {
  return {
    projectId: row.project_id,
    agentId: row.agent_id,
    version: row.version,
    configuration: storedConfiguration(row.configuration),
    createdAt: row.created_at,
    createdBy: row.created_by === null ? null : { userId: row.created_by.userId, keyId: row.created_by.keyId },
  };
}

export interface AgentLabelRow {
  name: string;
  version: string;
  updated_at: Date;
}

export function toLabel(row: AgentLabelRow): AgentLabel {
  return { name: row.name, version: row.version, updatedAt: row.updated_at };
}
