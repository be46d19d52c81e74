import { AGENT_ID_PATTERN, agentViolations, LIMITS } from './agent-rules.js';
import { newAgentId } from './agent-id.js';

describe('newAgentId', () => {
  const ids = Array.from({ length: 2_000 }, () => newAgentId());

  it('is "agt_" and 22 base64url characters (128 bits)', () => {
    for (const id of ids) {
      expect(id).toMatch(/^agt_[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id.slice(4), 'base64url')).toHaveLength(16);
    }
  });

  it('is an id the contract itself would accept', () => {
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(LIMITS.idLength);
      expect(AGENT_ID_PATTERN.test(id)).toBe(true);
      expect(agentViolations({ id, name: 'n', model: 'claude-sonnet-4-5' })).toEqual([]);
    }
  });

  it('does not repeat itself', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });
});
