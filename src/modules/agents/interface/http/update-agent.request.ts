import type { Type } from '@nestjs/common';
import { ApiPropertyOptional, ApiSchema, DECORATORS, IntersectionType, OmitType, PartialType, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { NOT_NULLABLE_FIELDS } from '../../domain/agent-rules.js';
import { CreateAgentRequest } from './create-agent.request.js';

/** The fields a PATCH may name: those of a create but the owner, each also null. */
type PatchOf<T> = { [K in keyof T]?: T[K] | null };
type PatchableFields = Omit<CreateAgentRequest, 'user_id'>;

class ActiveFlag {
  @ApiPropertyOptional({ type: Boolean, description: 'Whether runners may use the agent', example: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean | null;
}

/**
 * The body of PATCH /v1/agents/{id}, derived from the create body: the same fields (but user_id)
 * with the same type checks, all optional, plus isActive. Omitted keeps a field, null clears an
 * optional one, arrays replace, metadata and config are JSON merge patches. Types only here; the
 * aggregate checks the resulting agent against every rule.
 */
@ApiSchema({ name: 'AgentUpdate' })
export class UpdateAgentRequest extends (IntersectionType(PartialType(OmitType(CreateAgentRequest, ['user_id'] as const)), ActiveFlag) as Type<
  PatchOf<PatchableFields> & ActiveFlag
>) {}

/**
 * What PATCH documents differently from POST, field by field. A field without an entry is
 * documented as POST documents it; every field loses POST's default (an omitted field is kept, not
 * defaulted) and is nullable unless null is refused for it (NOT_NULLABLE_FIELDS, and the id).
 */
const ON_PATCH: { readonly [K in keyof PatchableFields]?: ApiPropertyOptions } = {
  id: { description: 'The id cannot change: when given it must be the current one' },
  name: { example: 'Support bot v2' },
  description: { description: 'null clears it', example: 'Answers billing and refund questions' },
  model: {
    description: 'A managed model or external:{providerType}:{urlEncodedModelId}; the current reasoningEffort must suit it unless this request sets one',
    example: 'claude-opus-4-6',
  },
  instructions: { description: 'null clears them', example: 'Answer in one paragraph.' },
  binary: { description: 'Replaces the binary; null clears it' },
  reasoningEffort: { description: "null resets it to the model's default", example: 'high' },
  enabledSkills: { description: 'Replaces the list; null empties it' },
  deepResearchModel: { description: 'null clears it', example: 'gemini-3-flash-preview' },
  metadata: {
    description: 'A JSON merge patch (RFC 7396) of the metadata: a null value deletes its key; null empties it',
    example: { team: 'support', obsolete: null },
  },
  config: { description: 'A JSON merge patch (RFC 7396) of the runtime configuration; null empties it', example: { temperature: 0.3 } },
  version: {
    description: 'Name of the new version: semver, greater than the current one. Omitted or null: the patch number is bumped when the configuration changes',
    example: '1.1.0',
  },
  isDefault: { description: "Internal keys only: make this the project's default agent (moves the flag)", example: true },
  isSystem: { description: 'Internal keys only' },
};

const NOT_CLEARABLE: ReadonlySet<string> = new Set<string>([...NOT_NULLABLE_FIELDS, 'id']);

for (const key of patchableKeys()) {
  const inherited: Record<string, unknown> = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, UpdateAgentRequest.prototype, key) ?? {};
  const { default: _postDefault, ...documented } = inherited;
  void _postDefault;
  const onPatch = ON_PATCH[key as keyof PatchableFields] ?? {};
  Reflect.defineMetadata(
    DECORATORS.API_MODEL_PROPERTIES,
    { ...documented, ...onPatch, ...(NOT_CLEARABLE.has(key) ? {} : { nullable: true }) },
    UpdateAgentRequest.prototype,
    key,
  );
}

/** The properties UpdateAgentRequest documents that it takes from CreateAgentRequest. */
function patchableKeys(): string[] {
  const keys: string[] = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, UpdateAgentRequest.prototype) ?? [];
  return keys.map((key) => key.slice(1)).filter((key) => key !== 'isActive');
}
