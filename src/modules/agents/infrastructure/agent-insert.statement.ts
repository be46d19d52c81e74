import { PreparedStatement } from '../../../shared/database/prepared-statement.js';
import type { Agent } from '../domain/agent.js';
import { createdEvent, type ChangeOrigin } from '../domain/agent-event.js';
import { authorOf } from '../domain/agent-version.js';
import { eventValues, OUTBOX_COLUMN_TYPES, OUTBOX_COLUMNS } from './agent-event-outbox.js';
import { AGENT_COLUMN_LIST, AGENT_COLUMNS, toPersistence } from './agent.mapper.js';

/** One agent to insert: its columns, its first version's and its created event's, in INPUT's order. */
export interface AgentInsertRow {
  readonly projectId: string;
  readonly id: string;
  readonly values: readonly unknown[];
}

/**
 * Each input column travels as one JSON array, a value per agent: JSON.stringify of the values, or
 * for a JSON column the values' own JSON texts joined, so nothing is escaped twice (pg's array
 * literals would quote every JSON text again). ROWS FROM lays the arrays side by side.
 */
interface InputColumn {
  readonly name: string;
  /** Its values are JSON texts already (a json or jsonb column), joined into the array as they are. */
  readonly jsonText: boolean;
  /** The set-returning function that reads the parameter: a scalar as text, anything else as json. */
  readonly elements: 'json_array_elements_text' | 'json_array_elements';
  /** How the statement reads it from the input row, cast to the column's type. */
  readonly read: string;
}

function inputColumn(name: string, sqlType: string): InputColumn {
  if (sqlType === 'json') return { name, jsonText: true, elements: 'json_array_elements', read: name };
  // JSON null is SQL NULL, as toPersistence gives it.
  if (sqlType === 'jsonb') return { name, jsonText: true, elements: 'json_array_elements', read: `NULLIF(${name}::jsonb, 'null')` };
  if (sqlType.endsWith('[]')) {
    const read = `CASE WHEN json_typeof(${name}) = 'array' THEN ARRAY(SELECT json_array_elements_text(${name}))::${sqlType} END`;
    return { name, jsonText: false, elements: 'json_array_elements', read };
  }
  return { name, jsonText: false, elements: 'json_array_elements_text', read: sqlType === 'text' ? name : `${name}::${sqlType}` };
}

const AGENT_INPUT = AGENT_COLUMNS.map((column) => inputColumn(column.name, column.sqlType));
const VERSION_INPUT = [inputColumn('first_configuration', 'jsonb'), inputColumn('first_author', 'jsonb')];
const EVENT_INPUT = OUTBOX_COLUMN_TYPES.map(([name, type]) => inputColumn(`event_${name}`, type));
const INPUT = [...AGENT_INPUT, ...VERSION_INPUT, ...EVENT_INPUT];
const read = (name: string) => INPUT.find((column) => column.name === name)!.read;

/**
 * Agents, each with its first version (1, the agent's version) and its created event, in one
 * statement, one row per agent of the parameters' arrays (InputColumn). An id already used in the project
 * inserts nothing (no version, no event) and is missing from the answer: a conflict.
 * Events are written in the agents' order, so their sequence follows the requests'.
 */
export const INSERT_AGENTS = new PreparedStatement<{ project_id: string; id: string }>(
  'agents_insert',
  `WITH input AS (
     SELECT * FROM ROWS FROM (${INPUT.map((column, index) => `${column.elements}($${index + 1}::json)`).join(', ')})
       WITH ORDINALITY AS input(${INPUT.map((column) => column.name).join(', ')}, ordinality)),
   agent AS (
     INSERT INTO agents (${AGENT_COLUMN_LIST})
     SELECT ${AGENT_INPUT.map((column) => column.read).join(', ')} FROM input
     ON CONFLICT (project_id, id) DO NOTHING
     RETURNING project_id, id),
   inserted AS (SELECT input.* FROM input JOIN agent USING (project_id, id)),
   version AS (
     INSERT INTO agent_versions (project_id, agent_id, number, version, configuration, created_at, created_by)
     SELECT project_id, id, 1, version, ${read('first_configuration')}, ${read('created_at')}, ${read('first_author')} FROM inserted),
   event AS (
     INSERT INTO agent_events (${OUTBOX_COLUMNS})
     SELECT ${EVENT_INPUT.map((column) => column.read).join(', ')} FROM inserted ORDER BY ordinality)
   SELECT project_id, id FROM agent`,
);

export function agentInsertRow(agent: Agent, origin: ChangeOrigin): AgentInsertRow {
  const values = [
    ...toPersistence(agent),
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

/** INSERT_AGENTS' parameters for `rows`: one JSON array per input column. */
export function insertParameters(rows: readonly AgentInsertRow[]): string[] {
  return INPUT.map((column, index) =>
    column.jsonText ? `[${rows.map((row) => (row.values[index] as string | null) ?? 'null').join(',')}]` : JSON.stringify(rows.map((row) => row.values[index])),
  );
}
