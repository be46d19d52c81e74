import { Agent, type NewAgent } from '../../domain/agent.js';
import { AgentIdConflictError, AgentNotFoundError, InternalOnlyError } from '../../domain/agent.errors.js';
import { InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import { DeleteAgentCommand } from './delete-agent.command.js';
import { DeleteAgentHandler } from './delete-agent.handler.js';
import { ORIGIN, caller } from '../../../../../test/support/handler-fakes.js';

const internalCaller = () => caller({ scopes: ['agents:read', 'agents:write', 'internal'] });

function newAgent(input: Partial<NewAgent> = {}, projectId = 'prj_1'): Agent {
  return Agent.create(
    { id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5', ...input },
    { projectId, actor: { userId: 'svc', internal: true }, tier: 'free', connectedProviders: [], now: new Date('2026-11-22T10:00:00.000Z') },
  );
}

async function setUp(...seeded: Agent[]) {
  const agents = new InMemoryAgents();
  for (const agent of seeded) await agents.insert(agent, ORIGIN);
  return { agents, handler: new DeleteAgentHandler(agents) };
}

describe('DeleteAgentHandler', () => {
  it('soft-deletes by default: the agent is gone from every read and its id stays taken', async () => {
    const { agents, handler } = await setUp(newAgent(), newAgent({ id: 'other-bot' }));

    await expect(handler.execute(new DeleteAgentCommand('support-bot', 'soft', caller()))).resolves.toBeUndefined();

    expect(await agents.findById('prj_1', 'support-bot')).toBeNull();
    expect(await agents.modify('prj_1', 'support-bot', () => {}, { origin: ORIGIN, cause: 'patch' })).toBeNull();
    expect((await agents.findById('prj_1', 'other-bot'))!.id).toBe('other-bot');
    await expect(agents.insert(newAgent(), ORIGIN)).rejects.toBeInstanceOf(AgentIdConflictError);
    await expect(handler.execute(new DeleteAgentCommand('support-bot', 'soft', caller()))).rejects.toBeInstanceOf(AgentNotFoundError);
  });

  it('hard-deletes the agent with its versions; the id may be used again', async () => {
    const { agents, handler } = await setUp(newAgent(), newAgent({ id: 'other-bot' }));

    await handler.execute(new DeleteAgentCommand('support-bot', 'hard', caller()));

    expect(await agents.findById('prj_1', 'support-bot')).toBeNull();
    expect(await agents.findVersion('prj_1', 'support-bot', '1.0.0')).toBeNull();
    expect(agents.versions.map((v) => v.agentId)).toEqual(['other-bot']);
    await agents.insert(newAgent({ name: 'Reborn' }), ORIGIN);
    expect((await agents.findById('prj_1', 'support-bot'))!.snapshot().name).toBe('Reborn');
  });

  it.each(['soft', 'hard'] as const)('refuses to %s-delete a system agent for a non-internal caller, deleting nothing', async (mode) => {
    const { agents, handler } = await setUp(newAgent({ isSystem: true }));

    const attempt = handler.execute(new DeleteAgentCommand('support-bot', mode, caller()));

    await expect(attempt).rejects.toBeInstanceOf(InternalOnlyError);
    await expect(attempt).rejects.toMatchObject({ code: 'internal_only', message: 'Only an internal key may delete a system agent' });
    expect((await agents.findById('prj_1', 'support-bot'))!.isSystem).toBe(true);
    expect(agents.deleted.size).toBe(0);
    expect(agents.versions).toHaveLength(1);
  });

  it.each(['soft', 'hard'] as const)('lets an internal caller %s-delete a system agent', async (mode) => {
    const { agents, handler } = await setUp(newAgent({ isSystem: true }));
    await handler.execute(new DeleteAgentCommand('support-bot', mode, internalCaller()));
    expect(await agents.findById('prj_1', 'support-bot')).toBeNull();
  });

  it('lets any writer delete the default agent, leaving the project with none', async () => {
    const { agents, handler } = await setUp(newAgent({ isDefault: true }), newAgent({ id: 'other-bot' }));
    await handler.execute(new DeleteAgentCommand('support-bot', 'soft', caller()));
    const left = await agents.findById('prj_1', 'other-bot');
    expect(left!.isDefault).toBe(false);
    expect([...agents.agents.values()].filter((agent) => agent.isDefault)).toEqual([]);
  });

  it.each(['soft', 'hard'] as const)('is AgentNotFoundError (%s) for an unknown id', async (mode) => {
    const { handler } = await setUp(newAgent());
    const attempt = handler.execute(new DeleteAgentCommand('nope', mode, caller()));
    await expect(attempt).rejects.toBeInstanceOf(AgentNotFoundError);
    await expect(attempt).rejects.toMatchObject({ code: 'agent_not_found', message: 'Agent nope not found' });
  });

  it("is AgentNotFoundError for another project's agent, which is not deleted", async () => {
    const { agents, handler } = await setUp(newAgent({}, 'prj_2'));
    await expect(handler.execute(new DeleteAgentCommand('support-bot', 'hard', internalCaller()))).rejects.toBeInstanceOf(AgentNotFoundError);
    expect((await agents.findById('prj_2', 'support-bot'))!.projectId).toBe('prj_2');
    expect(agents.versions).toHaveLength(1);
  });

  it('is AgentNotFoundError for a soft-deleted agent, even a hard delete of it', async () => {
    const { handler } = await setUp(newAgent());
    await handler.execute(new DeleteAgentCommand('support-bot', 'soft', caller()));
    await expect(handler.execute(new DeleteAgentCommand('support-bot', 'hard', caller()))).rejects.toBeInstanceOf(AgentNotFoundError);
  });
});
