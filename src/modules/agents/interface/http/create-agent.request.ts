import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsDefined, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AGENT_ID_PATTERN, DEEP_RESEARCH_MODELS, LIMITS, SKILL_ID_PATTERN } from '../../domain/agent-rules.js';
import type { JsonObject } from '../../domain/json-object.js';
import { MODEL_CATALOG } from '../../domain/model-catalog.js';
import { REASONING_EFFORTS } from '../../domain/reasoning-effort.js';
import { BinaryRequest } from './binary.request.js';
import { VERSION_MAX_LENGTH } from './path-params.js';

/** A skill id of enabledSkills: SKILL_ID_PATTERN allows 1 to 64 characters. */
export const SKILL_ID_SCHEMA = { type: 'string', maxLength: 64, pattern: SKILL_ID_PATTERN.source } as const;

const MODEL_DESCRIPTION =
  `A managed model (${MODEL_CATALOG.map((model) => model.id).join(', ')}) or, in team and enterprise ` +
  'workspaces, a connected external model as external:{providerType}:{urlEncodedModelId}. ' +
  'GET /v1/agents/models lists what the workspace can use.';

/**
 * The request Swagger UI fills in for "Try it out": what any key of the project may send as it is
 * (no user_id, no internal flags), where a sample built from every property would name a user.
 */
export const CREATE_AGENT_EXAMPLE = {
  id: 'support-bot',
  name: 'Support bot',
  description: 'Answers billing questions',
  model: 'claude-sonnet-4-5',
  instructions: 'You are a concise, friendly support agent.',
  reasoningEffort: 'medium',
  enabledSkills: ['deep_research'],
  deepResearchModel: 'gemini-3-flash-preview',
  metadata: { team: 'billing' },
} as const;

/**
 * The body of POST /v1/agents. This class checks types only (never coerced) and refuses unknown
 * fields; every rule on the values is the Agent aggregate's.
 */
@ApiSchema({ name: 'AgentCreate' })
export class CreateAgentRequest {
  @ApiPropertyOptional({
    description: 'Custom agent id, unique within the project; generated when omitted',
    minLength: 1,
    maxLength: LIMITS.idLength,
    pattern: AGENT_ID_PATTERN.source,
    example: 'support-bot',
  })
  @IsOptional()
  @IsString()
  id?: string;

  @ApiProperty({ description: 'Human-readable name, trimmed', minLength: 1, maxLength: LIMITS.nameLength, example: 'Support bot' })
  @IsDefined()
  @IsString()
  name: string;

  @ApiPropertyOptional({ description: "Short summary of the agent's purpose", maxLength: LIMITS.descriptionLength, example: 'Answers billing questions' })
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({
    description: `${MODEL_DESCRIPTION} Omitted: the workspace's default model (GET /v1/agents/models says which), so a Charm client's {user_id, name} creates an agent.`,
    example: 'claude-sonnet-4-5',
  })
  @IsOptional()
  @IsString()
  model?: string;

  @ApiPropertyOptional({ description: 'System instructions that define how the agent operates', maxLength: LIMITS.instructionsLength, example: 'You are a concise, friendly support agent.' })
  @IsOptional()
  @IsString()
  instructions?: string;

  @ApiPropertyOptional({ description: 'Execution binary of the agent runtime', type: BinaryRequest, title: 'Claude Code CLI' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BinaryRequest)
  binary?: BinaryRequest;

  @ApiPropertyOptional({
    description: "Reasoning intensity; must be one the model supports. Omitted: the model's default",
    enum: REASONING_EFFORTS,
    example: 'medium',
  })
  @IsOptional()
  @IsString()
  reasoningEffort?: string;

  @ApiPropertyOptional({
    description: 'Skill ids enabled for the agent; deep_research is built in',
    type: [String],
    maxItems: LIMITS.skills,
    uniqueItems: true,
    items: SKILL_ID_SCHEMA,
    example: ['deep_research'],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  enabledSkills?: string[];

  @ApiPropertyOptional({ description: 'Model used by the deep_research skill; only with deep_research enabled', enum: DEEP_RESEARCH_MODELS, example: 'gemini-3-pro-preview' })
  @IsOptional()
  @IsString()
  deepResearchModel?: string;

  @ApiPropertyOptional({
    description: `Free-form metadata: at most ${LIMITS.metadataKeys} top-level keys and ${LIMITS.metadataBytes / 1024} KiB serialized`,
    type: 'object',
    additionalProperties: true,
    example: { team: 'billing' },
  })
  @IsOptional()
  @IsObject()
  metadata?: JsonObject;

  @ApiPropertyOptional({
    description: `Runtime configuration, at most ${LIMITS.configBytes / 1024} KiB serialized`,
    type: 'object',
    additionalProperties: true,
    example: { temperature: 0.2 },
  })
  @IsOptional()
  @IsObject()
  config?: JsonObject;

  @ApiPropertyOptional({ description: 'Semantic version of this first configuration', maxLength: VERSION_MAX_LENGTH, default: '1.0.0', example: '1.0.0' })
  @IsOptional()
  @IsString()
  version?: string;

  @ApiPropertyOptional({
    description: "Owner of the agent; omitted: the key's user. Only an internal key may name another user",
    minLength: 1,
    maxLength: LIMITS.userIdLength,
  })
  @IsOptional()
  @IsString()
  user_id?: string;

  @ApiPropertyOptional({ description: "Internal: make this the project's default agent (moves the flag). Internal keys only", default: false, example: false })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;

  @ApiPropertyOptional({ description: 'Internal: a system agent. Internal keys only', default: false, example: false })
  @IsOptional()
  @IsBoolean()
  isSystem?: boolean;
}
