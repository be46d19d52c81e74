import { PreparedStatement } from '../../../shared/database/prepared-statement.js';
import type { Agent } from '../domain/agent.js';
import { createdEvent, type ChangeOrigin } from '../domain/agent-event.js';
import { authorOf } from '../domain/agent-version.js';
import { eventValues, OUTBOX_COLUMN_TYPES } from './agent-event-outbox.js';
import { AGENT_COLUMNS, toPersistence } from './agent.mapper.js';

/** One agent to insert: its columns, its first version's and its created event's, in INPUT's order. */
export interface AgentInsertRow {
  readonly projectId: string;
  readonly id: string;
  readonly values: readonly unknown[];
}

interface InputColumn {
  readonly name: string;
  /** The parameter's type: an array of the column's (of text for an array column, see below). */
  readonly parameterType: string;
  /** How the statement reads it from the input. */
  readonly read: string;
}

// unnest() would flatten an array of arrays: an array column travels as text[] of array literals
// and is cast back per row.
function inputColumn(name: string, sqlType: string): InputColumn {
  const isArray = sqlType.endsWith('[]');
  return { name, parameterType: isArray ? 'text[]' : `${sqlType}[]`, read: isArray ? `${name}::${sqlType}` : name };
}

const AGENT_INPUT = AGENT_COLUMNS.map((column) => inputColumn(column.name, column.sqlType));
const VERSION_INPUT = [inputColumn('first_configuration', 'jsonb'), inputColumn('first_author', 'jsonb')];
const EVENT_INPUT = OUTBOX_COLUMN_TYPES.map(([name, type]) => inputColumn(`event_${name}`, type));
const INPUT = [...AGENT_INPUT, ...VERSION_INPUT, ...EVENT_INPUT];
const AGENT_ARRAY_COLUMNS = new Set(AGENT_COLUMNS.flatMap((column, index) => (column.sqlType.endsWith('[]') ? [index] : [])));

/**
 * Agents, each with its first version (1, the agent's version) and its created event, in one
 * statement, one row per agent of the parameters' arrays. An id already used in the project
 * inserts nothing (no version, no event) and is missing from the answer: a conflict.
 * Events are written in the agents' order, so their sequence follows the requests'.
 */
export const INSERT_AGENTS = new PreparedStatement<{ project_id: string; id: string }>(
  'agents_insert',
  `WITH input AS (
     SELECT * FROM unnest(${INPUT.map((column, index) => `$${index + 1}::${column.parameterType}`).join(', ')})
       WITH ORDINALITY AS input(${INPUT.map((column) => column.name).join(', ')}, ordinality)),
   agent AS (
     INSERT INTO agents (${AGENT_COLUMNS.map((column) => column.name).join(', ')})
     SELECT ${AGENT_INPUT.map((column) => column.read).join(', ')} FROM input
     ON CONFLICT (project_id, id) DO NOTHING
     RETURNING project_id, id),
   inserted AS (SELECT input.* FROM input JOIN agent USING (project_id, id)),
   version AS (
     INSERT INTO agent_versions (project_id, agent_id, number, version, configuration, created_at, created_by)
     SELECT project_id, id, 1, version, first_configuration, created_at, first_author FROM inserted),
   event AS (
     INSERT INTO agent_events (${OUTBOX_COLUMN_TYPES.map(([name]) => name).join(', ')})
     SELECT ${EVENT_INPUT.map((column) => column.read).join(', ')} FROM inserted ORDER BY ordinality)
   SELECT project_id, id FROM agent`,
);

export function agentInsertRow(agent: Agent, origin: ChangeOrigin): AgentInsertRow {
  const columns = toPersistence(agent).map((value, index) => (AGENT_ARRAY_COLUMNS.has(index) ? arrayLiteral(value as readonly string[]) : value));
  const values = [
    ...columns,
    JSON.stringify(agent.recordedVersion!.configuration),
    JSON.stringify(authorOf(origin)),
    ...eventValues(createdEvent(agent), origin),
  ];
  return { projectId: agent.projectId, id: agent.id, values };
}

/** One string per agent: the project and the id, unambiguously. */
export function agentKey(projectId: string, id: string): string {
  return JSON.stringify([projectId, id]);
}

/** INSERT_AGENTS' parameters for `rows`: one array per input column. */
export function insertParameters(rows: readonly AgentInsertRow[]): unknown[][] {
  return INPUT.map((_, column) => rows.map((row) => row.values[column]));
}

/** A text[] literal: every element quoted, `"` and `\` escaped. */
function arrayLiteral(elements: readonly string[]): string {
  return `{${elements.map((element) => `"${element.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
