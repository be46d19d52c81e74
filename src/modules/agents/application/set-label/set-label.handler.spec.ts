import { Agent } from '../../domain/agent.js';
import { AgentNotFoundError, AgentVersionNotFoundError, PreconditionFailedError } from '../../domain/agent.errors.js';
import { InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import { ORIGIN, caller } from '../../../../../test/support/handler-fakes.js';
import { SetLabelCommand } from './set-label.command.js';
import { SetLabelHandler } from './set-label.handler.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');

async function setUp() {
  const agents = new InMemoryAgents();
  const ctx = { projectId: 'prj_1', actor: { userId: 'usr_1', internal: false }, tier: 'free', connectedProviders: [], now: NOW } as const;
  await agents.insert(Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5' }, ctx), ORIGIN);
  await agents.modify('prj_1', 'support-bot', (agent) => agent.update({ name: 'Renamed' }, ctx), { origin: ORIGIN, cause: 'patch' });
  const stored = (await agents.findById('prj_1', 'support-bot'))!;
  agents.events.length = 0;
  return { agents, stored, handler: new SetLabelHandler(agents) };
}

describe('SetLabelHandler', () => {
  it('creates the label, then moves it, each with its label event, leaving the agent as it was', async () => {
    const { agents, stored, handler } = await setUp();
    const created = await handler.execute(new SetLabelCommand('support-bot', 'production', '1.0.0', undefined, caller()));
    expect(created).toMatchObject({ name: 'production', version: '1.0.0' });
    const moved = await handler.execute(new SetLabelCommand('support-bot', 'production', '1.0.1', [stored.entityTag], caller()));
    expect(moved).toMatchObject({ name: 'production', version: '1.0.1' });
    expect(await agents.findLabel('prj_1', 'support-bot', 'production')).toEqual(moved);
    expect(agents.events.map(({ event }) => [event.type, event.cause, event.changedFields, event.label])).toEqual([
      ['agent.updated', 'label', [], { name: 'production', version: '1.0.0' }],
      ['agent.updated', 'label', [], { name: 'production', version: '1.0.1' }],
    ]);
    expect((await agents.findById('prj_1', 'support-bot'))!.snapshot()).toEqual(stored.snapshot());
  });

  it('changes nothing and records no event when the label already names the version', async () => {
    const { agents, handler } = await setUp();
    const first = await handler.execute(new SetLabelCommand('support-bot', 'production', '1.0.0', undefined, caller()));
    const again = await handler.execute(new SetLabelCommand('support-bot', 'production', '1.0.0', undefined, caller()));
    expect(again).toEqual(first);
    expect(agents.events).toHaveLength(1);
  });

  it.each([
    ['an unknown version', 'support-bot', '9.9.9', undefined, AgentVersionNotFoundError],
    ['a stale If-Match', 'support-bot', '1.0.0', ['stale'], PreconditionFailedError],
    ['an unknown agent', 'nope', '1.0.0', undefined, AgentNotFoundError],
  ] as const)('refuses %s, changing nothing', async (_, agentId, version, ifMatch, refusal) => {
    const { agents, handler } = await setUp();
    await expect(handler.execute(new SetLabelCommand(agentId, 'production', version, ifMatch, caller()))).rejects.toBeInstanceOf(refusal);
    expect(await agents.findLabel('prj_1', 'support-bot', 'production')).toBeNull();
    expect(agents.events).toEqual([]);
  });

  it("is AgentNotFoundError for another project's agent", async () => {
    const { agents, handler } = await setUp();
    await expect(handler.execute(new SetLabelCommand('support-bot', 'production', '1.0.0', undefined, caller({ projectId: 'prj_2' })))).rejects.toBeInstanceOf(AgentNotFoundError);
    expect(agents.events).toEqual([]);
  });
});
