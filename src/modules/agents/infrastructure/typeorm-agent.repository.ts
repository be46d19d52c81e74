import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PreparedStatement } from '../../../shared/database/prepared-statement.js';
import { StatementBatches } from '../../../shared/database/statement-batches.js';
import { activeTransaction, currentManager, inTransaction, joinOrBeginTransaction } from '../../../shared/database/transaction-context.js';
import type { Agent } from '../domain/agent.js';
import type { AgentLabel } from '../domain/agent-label.js';
import { authorOf, type AgentVersion } from '../domain/agent-version.js';
import { AgentIdConflictError, AgentVersionNotFoundError, LabelNotFoundError } from '../domain/agent.errors.js';
import { deletedEvent, labelEvent, updatedEvent, type AgentEvent, type ChangeOrigin } from '../domain/agent-event.js';
import { AgentRepository, type LabelMove, type ModifyOptions, type VersionLookup } from '../domain/agent.repository.js';
import type { VersionRef } from '../domain/version-ref.js';
import { eventValues, INSERT_EVENT } from './agent-event-outbox.js';
import { agentInsertRow, agentKey, INSERT_AGENTS, insertParameters, type AgentInsertRow } from './agent-insert.statement.js';
import {
  AGENT_COLUMN_LIST, AGENT_COLUMNS, parameterOf, toDomain, toLabel, toPersistence, toVersion, type AgentLabelRow, type AgentRow, type AgentVersionRow,
} from './agent.mapper.js';

// Every statement's text is derived once, here, from the entity's columns (AGENT_COLUMNS): the
// parameters are toPersistence's values in that order.
const PARAMETERS = AGENT_COLUMNS.map((column, index) => `$${index + 1}::${column.sqlType}`).join(', ');
const PROJECT = parameterOf('projectId');
// Moving the default flag to an agent is serialised per project: every move takes this lock, held
// until its transaction ends, before it locks or clears any agent row. A lock in the same
// statement would not do: a statement's snapshot is taken before it waits, so it would miss the
// default committed meanwhile and collide with it on agents_one_default_per_project (23505).
// Two int4 keys, a space apart from the one-bigint keys of the idempotency and migration locks; a
// collision of two projects' hashes only makes their moves wait for each other.
const DEFAULT_MOVES_LOCK_CLASS = 0x61676e74; // 'agnt'
const LOCK_DEFAULT_MOVES = new PreparedStatement(
  'agent_lock_default_moves',
  `SELECT pg_advisory_xact_lock(${DEFAULT_MOVES_LOCK_CLASS}, hashtext($1)) AS locked`,
);
// By primary key only: with `deleted_at IS NULL` in the statement, PostgreSQL's generic plan for
// it may pick the partial list index and scan the whole project. Deleted rows are skipped below.
// The row as one JSON column: node-postgres describes and parses one field instead of 23 (GET's
// hottest work in pg); toDomain reads it as it reads a row.
const FIND = new PreparedStatement<{ agent: AgentRow }>(
  'agent_find',
  'SELECT row_to_json(agents) AS agent FROM agents WHERE project_id = $1 AND id = $2',
);
const LOCK_LIVE = 'SELECT * FROM agents WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE';
const UPDATE = `UPDATE agents SET (${AGENT_COLUMN_LIST}) = (${PARAMETERS}) WHERE project_id = ${PROJECT} AND id = ${parameterOf('id')}`;
// Times never go backwards, even when another instance's clock ran ahead: GREATEST with the stored one.
// The old default, as it is once it lost the flag: its agent.updated event is made of it.
const CLEAR_OTHER_DEFAULT = `
  UPDATE agents SET is_default = false, updated_at = GREATEST($3::timestamptz, updated_at), revision = revision + 1
   WHERE project_id = $1 AND is_default AND id <> $2
  RETURNING *`;
const INSERT_VERSION = `
  INSERT INTO agent_versions (project_id, agent_id, number, version, configuration, created_at, created_by)
  SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4::jsonb, $5, $6::jsonb FROM agent_versions WHERE project_id = $1 AND agent_id = $2`;
const SOFT_DELETE = `
  UPDATE agents SET deleted_at = $3, is_default = false, updated_at = GREATEST($3::timestamptz, updated_at), revision = revision + 1
   WHERE project_id = $1 AND id = $2`;
const HARD_DELETE = 'DELETE FROM agents WHERE project_id = $1 AND id = $2';
// A version by number, label or latest, with what a miss needs to say which is missing. By the
// agent's primary key only (a deleted agent is skipped in code), as FIND.
const FIND_VERSION_BY_REF = new PreparedStatement<Partial<AgentVersionRow> & { agent_deleted_at: Date | null; current_version: string; label_version: string | null }>(
  'agent_version_by_ref',
  `SELECT agent.deleted_at AS agent_deleted_at, agent.version AS current_version, label.version AS label_version, version.*
     FROM agents agent
     LEFT JOIN agent_labels label ON $3 = 'label' AND label.project_id = agent.project_id AND label.agent_id = agent.id AND label.name = $4
     LEFT JOIN agent_versions version ON version.project_id = agent.project_id AND version.agent_id = agent.id
          AND version.version = CASE $3 WHEN 'version' THEN $4 WHEN 'latest' THEN agent.version ELSE label.version END
    WHERE agent.project_id = $1 AND agent.id = $2`,
);
const FIND_VERSION = 'SELECT * FROM agent_versions WHERE project_id = $1 AND agent_id = $2 AND version = $3';
const VERSION_EXISTS = 'SELECT 1 AS found FROM agent_versions WHERE project_id = $1 AND agent_id = $2 AND version = $3';
const FIND_LABEL = 'SELECT name, version, updated_at FROM agent_labels WHERE project_id = $1 AND agent_id = $2 AND name = $3';
// Under the agent's row lock, so moves of one label never race; ON CONFLICT all the same, as the
// primary key is what keeps a label unique. Its time never goes back (another instance's clock).
const UPSERT_LABEL = `
  INSERT INTO agent_labels (project_id, agent_id, name, version, updated_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (project_id, agent_id, name)
  DO UPDATE SET version = excluded.version, updated_at = GREATEST(excluded.updated_at, agent_labels.updated_at)
  RETURNING name, version, updated_at`;
const DELETE_LABEL = 'DELETE FROM agent_labels WHERE project_id = $1 AND agent_id = $2 AND name = $3 RETURNING name';

@Injectable()
export class TypeOrmAgentRepository extends AgentRepository {
  // Creates outside a transaction, batched per event-loop turn (statement-batches.ts).
  private readonly batchedInserts = new StatementBatches<AgentInsertRow, boolean>(
    (rows) => this.insertRows(rows),
    (row) => agentKey(row.projectId, row.id),
  );

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async insert(agent: Agent, origin: ChangeOrigin): Promise<void> {
    const row = agentInsertRow(agent, origin);
    let inserted: boolean;
    if (agent.isDefault) {
      // A transaction for the lock (the request's own, when it has one, e.g. an idempotent one).
      // The old default loses the flag before the insert: one default per project at every moment;
      // a conflict is thrown inside, so that the old default keeps it.
      inserted = await joinOrBeginTransaction(this.dataSource, async (manager) => {
        await LOCK_DEFAULT_MOVES.run(this.dataSource, [agent.projectId]);
        await this.clearOtherDefault(manager, agent, origin);
        const [alone] = await this.insertRows([row]);
        if (!alone) throw new AgentIdConflictError(agent.id);
        return alone;
      });
    } else {
      // A request's own transaction (an idempotent create) is not shared with others' inserts.
      [inserted] = activeTransaction() ? await this.insertRows([row]) : [await this.batchedInserts.add(row)];
    }
    if (!inserted) throw new AgentIdConflictError(agent.id);
  }

  /** Whether each row was inserted (false: its id was taken). */
  private async insertRows(rows: readonly AgentInsertRow[]): Promise<boolean[]> {
    const inserted = new Set((await INSERT_AGENTS.run(this.dataSource, insertParameters(rows))).map((row) => agentKey(row.project_id, row.id)));
    return rows.map((row) => inserted.has(agentKey(row.projectId, row.id)));
  }

  async findById(projectId: string, id: string): Promise<Agent | null> {
    const [found] = await FIND.run(this.dataSource, [projectId, id]);
    return found && found.agent.deleted_at === null ? toDomain(found.agent) : null;
  }

  /**
   * Under the agent's row lock. A change that may make it the default first takes the project's
   * default-moves lock, then the row lock, always in that order: the holder of the moves lock waits
   * only for rows (its own, and the old default's, to clear it), and a writer that holds a row lock
   * without the moves lock (any other change, an un-set of the flag, a delete) waits for nothing
   * more, so no two wait for each other. (Taken after the row lock, it could deadlock: the holder's
   * snapshot may still see as default an agent whose un-set has just committed, and whose row a
   * mover to it holds while waiting for the lock.)
   */
  modify(projectId: string, id: string, change: (agent: Agent) => void | Promise<void>, options: ModifyOptions): Promise<Agent | null> {
    return inTransaction(this.dataSource, async (manager) => {
      if (options.mayBecomeDefault) await LOCK_DEFAULT_MOVES.run(this.dataSource, [projectId]);
      const agent = await this.lock(manager, projectId, id);
      if (!agent) return null;
      const before = agent.snapshot();
      await change(agent);
      const after = agent.snapshot();
      if (after === before) return agent;
      if (after.isDefault && !before.isDefault) {
        if (!options.mayBecomeDefault) throw new Error(`A change made agent ${id} the default without mayBecomeDefault`);
        await this.clearOtherDefault(manager, agent, options.origin);
      }
      await manager.query(UPDATE, toPersistence(agent));
      const version = agent.recordedVersion;
      if (version) {
        const author = JSON.stringify(authorOf(options.origin));
        await manager.query(INSERT_VERSION, [projectId, id, version.version, JSON.stringify(version.configuration), version.createdAt, author]);
      }
      await this.record(manager, updatedEvent(before, agent, options.cause), options.origin);
      return agent;
    });
  }

  remove(projectId: string, id: string, mode: 'soft' | 'hard', check: (agent: Agent) => void, origin: ChangeOrigin): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const agent = await this.lock(manager, projectId, id);
      if (!agent) return false;
      check(agent);
      const now = new Date();
      if (mode === 'hard') await manager.query(HARD_DELETE, [projectId, id]);
      else await manager.query(SOFT_DELETE, [projectId, id, now]);
      await this.record(manager, deletedEvent(agent, mode === 'hard', now), origin);
      return true;
    });
  }

  async findVersion(projectId: string, agentId: string, version: string): Promise<AgentVersion | null> {
    const [row]: AgentVersionRow[] = await currentManager(this.dataSource).query(FIND_VERSION, [projectId, agentId, version]);
    return row ? toVersion(row) : null;
  }

  /** Under the agent's row lock, as PATCH, restore and delete: a label event is ordered among the agent's other changes. */
  setLabel(projectId: string, agentId: string, name: string, version: string, check: (agent: Agent) => void, origin: ChangeOrigin): Promise<LabelMove | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const agent = await this.lock(manager, projectId, agentId);
      if (!agent) return null;
      check(agent);
      const [current]: AgentLabelRow[] = await manager.query(FIND_LABEL, [projectId, agentId, name]);
      if (current && current.version === version) return { agent, label: toLabel(current), moved: false };
      const [exists] = await manager.query(VERSION_EXISTS, [projectId, agentId, version]);
      if (!exists) throw new AgentVersionNotFoundError(agentId, version);
      const [row]: AgentLabelRow[] = await manager.query(UPSERT_LABEL, [projectId, agentId, name, version, new Date()]);
      const label = toLabel(row);
      await this.record(manager, labelEvent(agent, { name, version }, label.updatedAt), origin);
      return { agent, label, moved: true };
    });
  }

  removeLabel(projectId: string, agentId: string, name: string, check: (agent: Agent) => void, origin: ChangeOrigin): Promise<Agent | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const agent = await this.lock(manager, projectId, agentId);
      if (!agent) return null;
      check(agent);
      // TypeORM answers a DELETE … RETURNING with [rows, affected count].
      const [removed]: [{ name: string }[], number] = await manager.query(DELETE_LABEL, [projectId, agentId, name]);
      if (removed.length === 0) throw new LabelNotFoundError(agentId, name);
      await this.record(manager, labelEvent(agent, { name, version: null }, new Date()), origin);
      return agent;
    });
  }

  /** One round trip: the agent (live or not), the label's version and the version it resolves to. */
  override async findVersionByRef(projectId: string, agentId: string, ref: VersionRef): Promise<VersionLookup> {
    const named = ref.kind === 'version' ? ref.version : ref.kind === 'label' ? ref.name : null;
    const [row] = await FIND_VERSION_BY_REF.run(this.dataSource, [projectId, agentId, ref.kind, named]);
    if (!row || row.agent_deleted_at !== null) return { missing: 'agent' };
    if (ref.kind === 'label' && row.label_version === null) return { missing: 'label' };
    if (row.number === null) return { missing: 'version', version: ref.kind === 'version' ? ref.version : (row.label_version ?? row.current_version) };
    return { found: toVersion(row as AgentVersionRow) };
  }

  async findLabel(projectId: string, agentId: string, name: string): Promise<AgentLabel | null> {
    const [row]: AgentLabelRow[] = await currentManager(this.dataSource).query(FIND_LABEL, [projectId, agentId, name]);
    return row ? toLabel(row) : null;
  }

  /** The project's other default (if any) loses the flag to `agent`, and gets its event (cause default_moved). */
  private async clearOtherDefault(manager: EntityManager, agent: Agent, origin: ChangeOrigin): Promise<void> {
    const { projectId, id, updatedAt } = agent.snapshot();
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [cleared]: [AgentRow[], number] = await manager.query(CLEAR_OTHER_DEFAULT, [projectId, id, updatedAt]);
    for (const row of cleared) {
      const old = toDomain(row);
      await this.record(manager, updatedEvent({ ...old.snapshot(), isDefault: true }, old, 'default_moved'), origin);
    }
  }

  private async record(manager: EntityManager, event: AgentEvent, origin: ChangeOrigin): Promise<void> {
    await manager.query(INSERT_EVENT, eventValues(event, origin));
  }

  private async lock(manager: EntityManager, projectId: string, id: string): Promise<Agent | null> {
    const [row]: AgentRow[] = await manager.query(LOCK_LIVE, [projectId, id]);
    return row ? toDomain(row) : null;
  }
}
