import { ApiParam } from '@nestjs/swagger';
import { RequestValidationError, type Problem } from '../../../../shared/http/request-validation.error.js';
import { AgentNotFoundError, AgentVersionNotFoundError } from '../../domain/agent.errors.js';
import { LABEL_MAX_LENGTH, LABEL_PATTERN, labelNameViolation } from '../../domain/agent-label.js';
import { AGENT_ID_PATTERN, LIMITS } from '../../domain/agent-rules.js';
import { isSemver } from '../../domain/semver.js';
import { parseVersionRef, type VersionRef } from '../../domain/version-ref.js';

/** The longest version isSemver accepts (domain/semver.ts keeps it private), for the OpenAPI document. */
export const VERSION_MAX_LENGTH = 64;

export const ApiAgentIdParam = ApiParam({
  name: 'id',
  description: 'The agent id (an id no agent can have is a 404)',
  schema: { type: 'string', maxLength: LIMITS.idLength, pattern: AGENT_ID_PATTERN.source, example: 'support-bot' },
});

export const ApiVersionParam = ApiParam({
  name: 'version',
  description: 'A semantic version of the agent',
  schema: { type: 'string', maxLength: VERSION_MAX_LENGTH, example: '1.0.0' },
});

/** A path segment naming a version: its semver, a label, or latest. */
export function ApiVersionOrLabelParam(name: string, what: string): MethodDecorator {
  return ApiParam({
    name,
    description: `${what}: a semantic version of the agent (1.2.0), a label name (production), or latest (its current version)`,
    schema: { type: 'string', maxLength: VERSION_MAX_LENGTH, example: '1.0.0' },
  });
}

export const ApiLabelParam = ApiParam({
  name: 'label',
  description: 'A label name; latest is reserved (always the current version) and cannot be set or deleted',
  schema: { type: 'string', maxLength: LABEL_MAX_LENGTH, pattern: LABEL_PATTERN.source, example: 'production' },
});

/** An id no agent can have is a 404 at once, without asking the database. */
export function agentIdParam(id: string): string {
  if (id.length > LIMITS.idLength || !AGENT_ID_PATTERN.test(id)) throw new AgentNotFoundError(id.slice(0, LIMITS.idLength));
  return id;
}

export function versionParam(agentId: string, version: string): string {
  if (!isSemver(version)) throw new AgentVersionNotFoundError(agentId, version.slice(0, 64));
  return version;
}

/** The versions path segments name, or a 422 on each segment that is neither a version nor a label name. */
export function versionRefParams<Name extends string>(segments: Record<Name, string>): Record<Name, VersionRef> {
  const refs: Partial<Record<Name, VersionRef>> = {};
  const problems: Problem[] = [];
  for (const [name, text] of Object.entries(segments) as [Name, string][]) {
    const ref = parseVersionRef(text);
    if (ref) refs[name] = ref;
    else problems.push({ loc: ['path', name], msg: 'Input should be a semantic version (1.2.0), a label name (production) or latest', type: 'version_or_label' });
  }
  if (problems.length > 0) throw new RequestValidationError(problems);
  return refs as Record<Name, VersionRef>;
}

/** Why the label segment cannot be set or deleted, as a 422 entry; none when it can. */
export function labelParamProblems(label: string): Problem[] {
  const violation = labelNameViolation(label);
  return violation ? [{ loc: ['path', 'label'], msg: violation.message, type: violation.code }] : [];
}

/** The label segment, when it is a name that can be set or deleted; else a 422 on ["path", "label"]. */
export function labelParam(label: string): string {
  const problems = labelParamProblems(label);
  if (problems.length > 0) throw new RequestValidationError(problems);
  return label;
}
