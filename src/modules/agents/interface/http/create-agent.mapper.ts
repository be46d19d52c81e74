import type { NewAgent } from '../../domain/agent.js';
import type { CreateAgentRequest } from './create-agent.request.js';

/** The request as the aggregate's input; a null optional field counts as omitted. */
export function toNewAgent(body: Partial<CreateAgentRequest>): NewAgent {
  return {
    id: body.id ?? undefined,
    name: body.name,
    description: body.description ?? undefined,
    model: body.model ?? undefined,
    instructions: body.instructions ?? undefined,
    binary: body.binary ?? undefined,
    reasoningEffort: body.reasoningEffort ?? undefined,
    enabledSkills: body.enabledSkills ?? undefined,
    deepResearchModel: body.deepResearchModel ?? undefined,
    metadata: body.metadata ?? undefined,
    config: body.config ?? undefined,
    version: body.version ?? undefined,
    userId: body.user_id ?? undefined,
    isDefault: body.isDefault ?? undefined,
    isSystem: body.isSystem ?? undefined,
  };
}
