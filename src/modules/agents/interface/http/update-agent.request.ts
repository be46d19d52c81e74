import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { AGENT_ID_PATTERN, DEEP_RESEARCH_MODELS, LIMITS } from '../../domain/agent-rules.js';
import type { JsonObject } from '../../domain/json-object.js';
import { REASONING_EFFORTS } from '../../domain/reasoning-effort.js';
import { BinaryRequest } from './binary.request.js';
import { SKILL_ID_SCHEMA } from './create-agent.request.js';
import { VERSION_MAX_LENGTH } from './path-params.js';

/**
 * The body of PATCH /v1/agents/{id}: omitted keeps a field, null clears an optional one, arrays
 * replace, metadata and config are JSON merge patches. Types only here; the aggregate checks the
 * resulting agent against every rule.
 */
@ApiSchema({ name: 'AgentUpdate' })
export class UpdateAgentRequest {
  @ApiPropertyOptional({ description: 'The id cannot change: when given it must be the current one', maxLength: LIMITS.idLength, pattern: AGENT_ID_PATTERN.source, example: 'support-bot' })
  @IsOptional()
  @IsString()
  id?: string;

  @ApiPropertyOptional({ type: String, description: 'Human-readable name, trimmed', minLength: 1, maxLength: LIMITS.nameLength, example: 'Support bot v2' })
  @IsOptional()
  @IsString()
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it', maxLength: LIMITS.descriptionLength, example: 'Answers billing and refund questions' })
  @IsOptional()
  @IsString()
  description?: string | null;

  @ApiPropertyOptional({ type: String, description: 'A managed model or external:{providerType}:{urlEncodedModelId}; the current reasoningEffort must suit it unless this request sets one', example: 'claude-opus-4-6' })
  @IsOptional()
  @IsString()
  model?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears them', maxLength: LIMITS.instructionsLength, example: 'Answer in one paragraph.' })
  @IsOptional()
  @IsString()
  instructions?: string | null;

  @ApiPropertyOptional({ type: BinaryRequest, nullable: true, title: 'Claude Code CLI', description: 'Replaces the binary; null clears it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BinaryRequest)
  binary?: BinaryRequest | null;

  @ApiPropertyOptional({ enum: REASONING_EFFORTS, nullable: true, description: "null resets it to the model's default", example: 'high' })
  @IsOptional()
  @IsString()
  reasoningEffort?: string | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: 'Replaces the list; null empties it',
    maxItems: LIMITS.skills,
    uniqueItems: true,
    items: SKILL_ID_SCHEMA,
    example: ['deep_research'],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  enabledSkills?: string[] | null;

  @ApiPropertyOptional({ enum: DEEP_RESEARCH_MODELS, nullable: true, description: 'null clears it', example: 'gemini-3-flash-preview' })
  @IsOptional()
  @IsString()
  deepResearchModel?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'A JSON merge patch (RFC 7396) of the metadata: a null value deletes its key; null empties it',
    example: { team: 'support', obsolete: null },
  })
  @IsOptional()
  @IsObject()
  metadata?: JsonObject | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'A JSON merge patch (RFC 7396) of the runtime configuration; null empties it',
    example: { temperature: 0.3 },
  })
  @IsOptional()
  @IsObject()
  config?: JsonObject | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Name of the new version: semver, greater than the current one. Omitted or null: the patch number is bumped when the configuration changes',
    maxLength: VERSION_MAX_LENGTH,
    example: '1.1.0',
  })
  @IsOptional()
  @IsString()
  version?: string | null;

  @ApiPropertyOptional({ type: Boolean, description: "Internal keys only: make this the project's default agent (moves the flag)", example: true })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, description: 'Internal keys only', example: false })
  @IsOptional()
  @IsBoolean()
  isSystem?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, description: 'Whether runners may use the agent', example: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;
}
