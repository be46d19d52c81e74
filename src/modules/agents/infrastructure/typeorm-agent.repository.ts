import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { uniqueViolationOf } from '../../../shared/database/pg-errors.js';
import { PreparedStatement } from '../../../shared/database/prepared-statement.js';
import type { Agent } from '../domain/agent.js';
import { AgentIdConflictError } from '../domain/agent.errors.js';
import { AgentRepository } from '../domain/agent.repository.js';
import { INSERT_COLUMNS, toPersistence } from './agent.mapper.js';

const COLUMNS = INSERT_COLUMNS.map(([name]) => name).join(', ');
const PARAMETERS = INSERT_COLUMNS.map(([, type], index) => `$${index + 1}::${type}`).join(', ');
const INSERT = new PreparedStatement('agent_insert', `INSERT INTO agents (${COLUMNS}) VALUES (${PARAMETERS})`);
// One statement, so one atomic write: the old default loses the flag, then the new agent is
// inserted (reading `cleared` makes PostgreSQL run the UPDATE first).
const INSERT_AS_DEFAULT = new PreparedStatement('agent_insert_as_default', `
  WITH cleared AS (
    UPDATE agents SET is_default = false, updated_at = $${INSERT_COLUMNS.length + 1}::timestamptz, revision = revision + 1
     WHERE project_id = $1 AND is_default
    RETURNING 1)
  INSERT INTO agents (${COLUMNS})
  SELECT ${PARAMETERS} WHERE (SELECT count(*) FROM cleared) >= 0`);

const PRIMARY_KEY = 'agents_pkey';
const ONE_DEFAULT = 'agents_one_default_per_project';
// Two creates moving the default at once: the later one finds the flag taken and tries again.
const DEFAULT_MOVE_ATTEMPTS = 5;

@Injectable()
export class TypeOrmAgentRepository extends AgentRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async insert(agent: Agent): Promise<void> {
    const values = toPersistence(agent);
    for (let attempt = 1; ; attempt++) {
      try {
        if (agent.isDefault) await INSERT_AS_DEFAULT.run(this.dataSource, [...values, agent.snapshot().createdAt]);
        else await INSERT.run(this.dataSource, values);
        return;
      } catch (error) {
        const violated = uniqueViolationOf(error)?.constraint;
        if (violated === PRIMARY_KEY) throw new AgentIdConflictError(agent.id);
        if (violated === ONE_DEFAULT && attempt < DEFAULT_MOVE_ATTEMPTS) continue;
        throw error;
      }
    }
  }
}
