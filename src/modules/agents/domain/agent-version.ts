import { canonicalJson } from '../../../shared/domain/canonical-json.js';
import { VERSIONED_FIELDS, withDefaults, type ParsedAgent, type VersionedField } from './agent-rules.js';

/** What a version records: the fields whose change makes a new version (VERSIONED_FIELDS), as the rules parse them. */
export type AgentConfiguration = { readonly [K in VersionedField]: ParsedAgent[K] };

/** An immutable version of an agent's configuration. */
export interface AgentVersion {
  readonly projectId: string;
  readonly agentId: string;
  readonly version: string;
  readonly configuration: AgentConfiguration;
  readonly createdAt: Date;
}

/** The versioned fields of `source`, and nothing else. */
export function configurationOf(source: AgentConfiguration): AgentConfiguration {
  const configuration: Partial<Record<VersionedField, unknown>> = {};
  for (const field of VERSIONED_FIELDS) configuration[field] = source[field];
  return configuration as AgentConfiguration;
}

/**
 * A configuration as a version stored it (JSON): a field added after the version was written reads
 * back at the default an omitted field gets, so old versions stay readable and restorable.
 */
export function storedConfiguration(stored: Readonly<Record<string, unknown>>): AgentConfiguration {
  return withDefaults(VERSIONED_FIELDS, stored) as AgentConfiguration;
}

export function sameConfiguration(a: AgentConfiguration, b: AgentConfiguration): boolean {
  return canonicalJson(configurationOf(a)) === canonicalJson(configurationOf(b));
}

/** The versioned fields whose value differs between two configurations, in VERSIONED_FIELDS order (the events' changedFields). */
export function changedFields(before: AgentConfiguration, after: AgentConfiguration): VersionedField[] {
  return VERSIONED_FIELDS.filter((field) => canonicalJson(before[field]) !== canonicalJson(after[field]));
}
