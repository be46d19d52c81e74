import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isInternal } from '../../../../shared/domain/caller.js';
import { Agent } from '../../domain/agent.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { isExternalModelId } from '../../domain/model-ref.js';
import { WorkspaceProviders } from '../workspace-providers.port.js';
import { CreateAgentCommand } from './create-agent.command.js';

/**
 * Load what the aggregate needs, let it create itself, save it. The save is one atomic statement
 * (the default-flag move included), so no transaction is opened around it.
 */
@CommandHandler(CreateAgentCommand)
export class CreateAgentHandler implements ICommandHandler<CreateAgentCommand> {
  constructor(
    private readonly agents: AgentRepository,
    private readonly workspaces: WorkspaceProviders,
  ) {}

  async execute({ input, caller }: CreateAgentCommand): Promise<Agent> {
    // The tier came with the caller's key; the providers only matter for an external model.
    const connectedProviders =
      typeof input.model === 'string' && isExternalModelId(input.model)
        ? (await this.workspaces.connected(caller.workspaceId)).map((provider) => provider.providerType)
        : [];
    const agent = Agent.create(input, {
      projectId: caller.projectId,
      actor: { userId: caller.userId, internal: isInternal(caller) },
      tier: caller.tier,
      connectedProviders,
      now: new Date(),
    });
    await this.agents.insert(agent);
    return agent;
  }
}
