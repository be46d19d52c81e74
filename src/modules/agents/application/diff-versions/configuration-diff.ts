import { createPatch, type Operation } from 'rfc6902';
import { configurationOf, type AgentConfiguration } from '../../domain/agent-version.js';

/** An RFC 6902 JSON Patch operation. */
export type PatchOperation = Operation;

/**
 * The JSON Patch (RFC 6902) that turns the `from` configuration into the `to` one, as the version
 * views show them (JSON: what a client applies the patch to). Equal configurations give [].
 */
export function configurationDiff(from: AgentConfiguration, to: AgentConfiguration): PatchOperation[] {
  return createPatch(asJson(from), asJson(to));
}

function asJson(configuration: AgentConfiguration): unknown {
  return JSON.parse(JSON.stringify(configurationOf(configuration)));
}
