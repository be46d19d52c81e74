import { ApiProperty } from '@nestjs/swagger';
import type { Agent, AgentProps } from '../../domain/agent.js';
import { DEEP_RESEARCH_MODELS, type AgentBinary } from '../../domain/agent-rules.js';
import type { JsonObject } from '../../domain/json-object.js';
import { REASONING_EFFORTS } from '../../domain/reasoning-effort.js';

class BinaryView {
  @ApiProperty({ example: '/usr/local/bin/claude' })
  path: string;

  @ApiProperty({ type: [String], required: false, example: ['--verbose'] })
  args?: string[];
}

export class AgentView {
  @ApiProperty({ description: 'Unique within the project', example: 'agt_9Qk3xv1mT0yq8c2LrWnZpA' })
  id: string;

  @ApiProperty({ description: 'Owner of the agent', example: 'usr_123' })
  userId: string;

  @ApiProperty({ example: 'prj_123' })
  projectId: string;

  @ApiProperty({ example: 'Support bot' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'Answers billing questions' })
  description: string | null;

  @ApiProperty({ example: 'claude-sonnet-4-5' })
  model: string;

  @ApiProperty({ type: String, nullable: true, example: 'You are a concise, friendly support agent.' })
  instructions: string | null;

  @ApiProperty({ type: BinaryView, nullable: true, title: 'Claude Code CLI' })
  binary: BinaryView | null;

  @ApiProperty({ enum: REASONING_EFFORTS, example: 'medium' })
  reasoningEffort: string;

  @ApiProperty({ type: [String], example: ['deep_research'] })
  enabledSkills: string[];

  @ApiProperty({ enum: DEEP_RESEARCH_MODELS, nullable: true, example: 'gemini-3-flash-preview' })
  deepResearchModel: string | null;

  @ApiProperty({ example: false })
  isDefault: boolean;

  @ApiProperty({ example: false })
  isSystem: boolean;

  @ApiProperty({ example: true })
  isActive: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { team: 'billing' } })
  metadata: JsonObject;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  config: JsonObject;

  @ApiProperty({ description: 'Semantic version of the current configuration', example: '1.0.0' })
  version: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  lastRunAt: string | null;
}

/** Exactly the same keys (a type-level check: it compiles only when `A` and `B` name the same ones). */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;

/**
 * Compile-time check that the view shows every field of the agent but its revision (which only the
 * ETag shows): a field added to the domain without its view property fails to compile here, and
 * toAgentView fails to compile until it fills the property.
 */
export const VIEW_SHOWS_EVERY_FIELD: SameKeys<AgentView, Omit<AgentProps, 'revision'>> = true;

export class AgentEnvelope {
  @ApiProperty({ type: AgentView })
  agent: AgentView;
}

export function toAgentView(agent: Agent): AgentView {
  const a = agent.snapshot();
  return {
    id: a.id,
    userId: a.userId,
    projectId: a.projectId,
    name: a.name,
    description: a.description,
    model: a.model,
    instructions: a.instructions,
    binary: toBinaryView(a.binary),
    reasoningEffort: a.reasoningEffort,
    enabledSkills: [...a.enabledSkills],
    deepResearchModel: a.deepResearchModel,
    isDefault: a.isDefault,
    isSystem: a.isSystem,
    isActive: a.isActive,
    metadata: a.metadata,
    config: a.config,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    lastRunAt: a.lastRunAt?.toISOString() ?? null,
  };
}

/** A copy of the binary, so that no view shares an array with the agent. */
export function toBinaryView(binary: AgentBinary | null): BinaryView | null {
  return binary === null ? null : { path: binary.path, ...(binary.args ? { args: [...binary.args] } : {}) };
}
