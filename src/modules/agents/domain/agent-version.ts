import type { AgentBinary, DeepResearchModel } from './agent-rules.js';
import type { JsonObject } from './json-object.js';
import type { ReasoningEffort } from './reasoning-effort.js';
import { canonicalJson } from '../../../shared/domain/canonical-json.js';

/** What a version records: the fields whose change makes a new version. */
export interface AgentConfiguration {
  readonly name: string;
  readonly description: string | null;
  readonly model: string;
  readonly instructions: string | null;
  readonly binary: AgentBinary | null;
  readonly reasoningEffort: ReasoningEffort;
  readonly enabledSkills: readonly string[];
  readonly deepResearchModel: DeepResearchModel | null;
  readonly config: JsonObject;
}

/** An immutable version of an agent's configuration. */
export interface AgentVersion {
  readonly projectId: string;
  readonly agentId: string;
  readonly version: string;
  readonly configuration: AgentConfiguration;
  readonly createdAt: Date;
}

export function configurationOf(source: AgentConfiguration): AgentConfiguration {
  return {
    name: source.name,
    description: source.description,
    model: source.model,
    instructions: source.instructions,
    binary: source.binary,
    reasoningEffort: source.reasoningEffort,
    enabledSkills: source.enabledSkills,
    deepResearchModel: source.deepResearchModel,
    config: source.config,
  };
}

export function sameConfiguration(a: AgentConfiguration, b: AgentConfiguration): boolean {
  return canonicalJson(configurationOf(a)) === canonicalJson(configurationOf(b));
}
