import { canonicalJson } from '../../../shared/domain/canonical-json.js';
import { VERSIONED_FIELDS, withDefaults, type ParsedAgent, type VersionedField } from './agent-rules.js';

/** What a version records: the fields whose change makes a new version (VERSIONED_FIELDS), as the rules parse them. */
export type AgentConfiguration = { readonly [K in VersionedField]: ParsedAgent[K] };

/** Who made a version: the user and the API key of the change that recorded it. */
export interface VersionAuthor {
  readonly userId: string;
  readonly keyId: string;
}

/** A version as the aggregate records it; who made it is the change's origin, which the repository stores with it. */
export interface RecordedVersion {
  readonly projectId: string;
  readonly agentId: string;
  readonly version: string;
  readonly configuration: AgentConfiguration;
  readonly createdAt: Date;
}

/** An immutable version of an agent's configuration, as stored. */
export interface AgentVersion extends RecordedVersion {
  /** Null for the versions stored before their authors were. */
  readonly createdBy: VersionAuthor | null;
}

/** The author a change's origin (or any holder of a user and a key) stores with the version it records. */
export function authorOf(origin: VersionAuthor): VersionAuthor {
  return { userId: origin.userId, keyId: origin.keyId };
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
