// The body of every benchmark POST /v1/agents: valid under the contract, with the usual optional
// fields and no custom id (the service makes one). The same shape as the team's comparison
// (shared/bench/lib/agent-body.mjs), so figures from both measure the same work. The caller makes
// the name unique: autocannon puts a fresh id where the name says [<id>].
export function agentBody(uniquePart) {
  return {
    name: `Bench agent ${uniquePart}`,
    description: 'Created by bench/run.mjs',
    model: 'claude-sonnet-4-5',
    instructions: 'You are a careful research assistant. Answer briefly and cite your sources.',
    reasoningEffort: 'medium',
    enabledSkills: ['deep_research'],
    metadata: { team: 'bench', purpose: 'load' },
  };
}
