import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AgentRepository } from '../../domain/agent.repository.js';
import { resolveVersions } from '../resolve-version.js';
import { configurationDiff } from './configuration-diff.js';
import { DiffVersionsQuery, type VersionDiff } from './diff-versions.query.js';

@QueryHandler(DiffVersionsQuery)
export class DiffVersionsHandler implements IQueryHandler<DiffVersionsQuery> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, from, to, caller }: DiffVersionsQuery): Promise<VersionDiff> {
    const [source, target] = await resolveVersions(this.agents, caller.projectId, agentId, [from, to]);
    return { from: source.version, to: target.version, changes: configurationDiff(source.configuration, target.configuration) };
  }
}
