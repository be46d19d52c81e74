import { randomBytes } from 'node:crypto';

/** A new agent id: "agt_" and 128 random bits, within the contract's id pattern. */
export function newAgentId(): string {
  return `agt_${randomBytes(16).toString('base64url')}`;
}
