import { Agent } from '../../domain/agent.js';
import { AgentNotFoundError, LabelNotFoundError, PreconditionFailedError } from '../../domain/agent.errors.js';
import { InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import { ORIGIN, caller } from '../../../../../test/support/handler-fakes.js';
import { DeleteLabelCommand } from './delete-label.command.js';
import { DeleteLabelHandler } from './delete-label.handler.js';

async function setUp() {
  const agents = new InMemoryAgents();
  const ctx = { projectId: 'prj_1', actor: { userId: 'usr_1', internal: false }, tier: 'free', connectedProviders: [], now: new Date() } as const;
  await agents.insert(Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5' }, ctx), ORIGIN);
  await agents.setLabel('prj_1', 'support-bot', 'production', '1.0.0', () => {}, ORIGIN);
  agents.events.length = 0;
  return { agents, handler: new DeleteLabelHandler(agents) };
}

describe('DeleteLabelHandler', () => {
  it('deletes the label with its event (version null)', async () => {
    const { agents, handler } = await setUp();
    await handler.execute(new DeleteLabelCommand('support-bot', 'production', undefined, caller()));
    expect(await agents.findLabel('prj_1', 'support-bot', 'production')).toBeNull();
    expect(agents.events.map(({ event }) => [event.type, event.cause, event.label])).toEqual([['agent.updated', 'label', { name: 'production', version: null }]]);
  });

  it.each([
    ['a label the agent does not have', 'support-bot', 'staging', undefined, LabelNotFoundError],
    ['a stale If-Match', 'support-bot', 'production', ['stale'], PreconditionFailedError],
    ['an unknown agent', 'nope', 'production', undefined, AgentNotFoundError],
  ] as const)('refuses %s, changing nothing', async (_, agentId, name, ifMatch, refusal) => {
    const { agents, handler } = await setUp();
    await expect(handler.execute(new DeleteLabelCommand(agentId, name, ifMatch, caller()))).rejects.toBeInstanceOf(refusal);
    expect(await agents.findLabel('prj_1', 'support-bot', 'production')).toMatchObject({ version: '1.0.0' });
    expect(agents.events).toEqual([]);
  });
});
