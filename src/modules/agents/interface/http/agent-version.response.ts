import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import type { VersionDiff } from '../../application/diff-versions/diff-versions.query.js';
import type { Page } from '../../application/agent-queries.port.js';
import { VERSIONED_FIELDS } from '../../domain/agent-rules.js';
import { configurationOf, type AgentConfiguration, type AgentVersion } from '../../domain/agent-version.js';
import { AgentView, toBinaryView } from './agent.response.js';
import { BinaryRequest } from './binary.request.js';
import { encodeVersionCursor } from './page-cursor.js';

/**
 * The configuration a version records: the agent view's versioned fields (VERSIONED_FIELDS), so a
 * new versioned field appears here with its AgentView property. Its binary keeps the request's
 * schema, which states the binary's limits.
 */
class ConfigurationView extends PickType(AgentView, VERSIONED_FIELDS) {
  @ApiProperty({ type: BinaryRequest, nullable: true, title: 'Claude Code CLI' })
  override binary: BinaryRequest | null;
}

export class VersionAuthorView {
  @ApiProperty({ description: 'The user of the API key that made the version', example: 'usr_1a2b3c4d' })
  userId: string;

  @ApiProperty({ description: 'The API key that made the version', example: 'key_1a2b3c4d' })
  keyId: string;
}

export class AgentVersionView {
  @ApiProperty({ example: 'support-bot' })
  agentId: string;

  @ApiProperty({ description: 'Semantic version', example: '1.0.1' })
  version: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: VersionAuthorView, nullable: true, description: 'Who made the version; null for versions made before this was recorded' })
  createdBy: VersionAuthorView | null;

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
    createdBy: version.createdBy === null ? null : { userId: version.createdBy.userId, keyId: version.createdBy.keyId },
    configuration: toConfigurationView(c),
  };
}

/** The view of a configuration: each versioned field as the agent view shows it (copies of its arrays). */
export function toConfigurationView(configuration: AgentConfiguration): ConfigurationView {
  return { ...configurationOf(configuration), binary: toBinaryView(configuration.binary), enabledSkills: [...configuration.enabledSkills] };
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

const ANY_JSON = [
  { type: 'object', additionalProperties: true },
  { type: 'array', items: {} },
  { type: 'string' },
  { type: 'number' },
  { type: 'boolean' },
];

/** One RFC 6902 operation. */
export class JsonPatchOperationView {
  @ApiProperty({ enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'], example: 'replace' })
  op: string;

  @ApiProperty({ description: 'JSON Pointer (RFC 6901) into the configuration', example: '/model' })
  path: string;

  @ApiPropertyOptional({ description: 'The new value (add, replace, test): any JSON', oneOf: ANY_JSON, nullable: true, example: 'claude-opus-4-6' })
  value?: unknown;

  @ApiPropertyOptional({ description: 'JSON Pointer of the source (move, copy)', example: '/enabledSkills/0' })
  from?: string;
}

export class VersionDiffResponse {
  @ApiProperty({ description: 'The version `from` resolved to', example: '1.0.0' })
  from: string;

  @ApiProperty({ description: 'The version `to` resolved to', example: '1.2.0' })
  to: string;

  @ApiProperty({
    type: [JsonPatchOperationView],
    description: "RFC 6902 JSON Patch operations that turn from's configuration into to's; [] when they are the same",
  })
  changes: JsonPatchOperationView[];
}

export function toVersionDiffResponse(diff: VersionDiff): VersionDiffResponse {
  return { from: diff.from, to: diff.to, changes: diff.changes };
}
