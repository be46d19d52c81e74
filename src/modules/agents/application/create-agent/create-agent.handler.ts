import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Agent, type NewAgent } from '../../domain/agent.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { defaultModelOf } from '../../domain/model-catalog.js';
import type { Caller } from '../../../../shared/domain/caller.js';
import { changeContextFor, originOf } from '../change-context.js';
import { WorkspaceProviders } from '../workspace-providers.port.js';
import { CreateAgentCommand } from './create-agent.command.js';

/**
 * Load what the aggregate needs, let it create itself, save it. The save is one atomic statement
 * (the first version included); a default agent's save also serialises the flag's move (the
 * repository's concern).
 */
@CommandHandler(CreateAgentCommand)
export class CreateAgentHandler implements ICommandHandler<CreateAgentCommand> {
  constructor(
    private readonly agents: AgentRepository,
    private readonly workspaces: WorkspaceProviders,
  ) {}

  async execute({ input: requested, caller }: CreateAgentCommand): Promise<Agent> {
    const input = await this.withModel(requested, caller);
    const context = await changeContextFor(caller, input.model, this.workspaces);
    const agent = Agent.create(input, { ...context, projectId: caller.projectId });
    await this.agents.insert(agent, originOf(caller));
    return agent;
  }

  /** A request without a model (a Charm client's `{user_id, name}`) gets the workspace's default model. */
  private async withModel(input: NewAgent, caller: Caller): Promise<NewAgent> {
    if (input.model !== undefined) return input;
    const chosenDefaultModel = await this.workspaces.chosenDefaultModel(caller.workspaceId);
    return { ...input, model: defaultModelOf({ tier: caller.tier, chosenDefaultModel }) };
  }
}
