import { randomIdPart } from '../../../shared/domain/random-id.js';

/** A new agent id: "agt_" and 128 random bits, within the contract's id pattern. */
export function newAgentId(): string {
  return `agt_${randomIdPart()}`;
}
