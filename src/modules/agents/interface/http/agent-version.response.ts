import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../application/agent-queries.port.js';
import type { AgentVersion } from '../../domain/agent-version.js';
import { DEEP_RESEARCH_MODELS } from '../../domain/agent-rules.js';
import type { JsonObject } from '../../domain/json-object.js';
import { REASONING_EFFORTS } from '../../domain/reasoning-effort.js';
import { BinaryRequest } from './binary.request.js';
import { encodeVersionCursor } from './page-cursor.js';

class ConfigurationView {
  @ApiProperty({ example: 'Support bot' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  description: string | null;

  @ApiProperty({ example: 'claude-sonnet-4-5' })
  model: string;

  @ApiProperty({ type: String, nullable: true, example: 'You are a concise, friendly support agent.' })
  instructions: string | null;

  @ApiProperty({ type: BinaryRequest, nullable: true, title: 'Claude Code CLI' })
  binary: BinaryRequest | null;

  @ApiProperty({ enum: REASONING_EFFORTS, example: 'medium' })
  reasoningEffort: string;

  @ApiProperty({ type: [String], example: ['deep_research'] })
  enabledSkills: string[];

  @ApiProperty({ enum: DEEP_RESEARCH_MODELS, nullable: true, example: 'gemini-3-flash-preview' })
  deepResearchModel: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  config: JsonObject;
}

export class AgentVersionView {
  @ApiProperty({ example: 'support-bot' })
  agentId: string;

  @ApiProperty({ description: 'Semantic version', example: '1.0.1' })
  version: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: ConfigurationView, description: 'The configuration this version records' })
  configuration: ConfigurationView;
}

export class AgentVersionEnvelope {
  @ApiProperty({ type: AgentVersionView })
  version: AgentVersionView;
}

export class AgentVersionListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object: 'list';

  @ApiProperty({ type: [AgentVersionView], description: 'Newest first unless order=asc' })
  data: AgentVersionView[];

  @ApiProperty({ example: false })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;

  @ApiProperty({ example: 3 })
  total_count: number;
}

export function toVersionView(version: AgentVersion): AgentVersionView {
  const c = version.configuration;
  return {
    agentId: version.agentId,
    version: version.version,
    createdAt: version.createdAt.toISOString(),
    configuration: {
      name: c.name,
      description: c.description,
      model: c.model,
      instructions: c.instructions,
      binary: c.binary === null ? null : { path: c.binary.path, ...(c.binary.args ? { args: [...c.binary.args] } : {}) },
      reasoningEffort: c.reasoningEffort,
      enabledSkills: [...c.enabledSkills],
      deepResearchModel: c.deepResearchModel,
      config: c.config,
    },
  };
}

export function toVersionList(page: Page<AgentVersion, number>): AgentVersionListResponse {
  return {
    object: 'list',
    data: page.items.map(toVersionView),
    has_more: page.next !== null,
    next_cursor: page.next === null ? null : encodeVersionCursor(page.next),
    total_count: page.totalCount,
  };
}
