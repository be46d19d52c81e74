import { ValidationFailedError } from '../../../../shared/domain/domain-error.js';
import { Agent, type NewAgent } from '../../domain/agent.js';
import { AgentNotFoundError, InternalOnlyError, ModelLockedError, PreconditionFailedError, ProviderNotConnectedError } from '../../domain/agent.errors.js';
import { ContendedAgents, InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import type { ConnectedProvider } from '../workspace-providers.port.js';
import { UpdateAgentCommand } from './update-agent.command.js';
import { UpdateAgentHandler } from './update-agent.handler.js';
import { FakeProviders, ORIGIN, caller } from '../../../../../test/support/handler-fakes.js';

const INTERNAL_SCOPES = ['agents:read', 'agents:write', 'internal'] as const;

/** An agent stored as POST would store it (created by an internal service, so any flag may be set). */
async function seed(agents: InMemoryAgents, input: Partial<NewAgent> = {}, projectId = 'prj_1'): Promise<Agent> {
  const agent = Agent.create(
    { id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5', metadata: { team: 'support' }, ...input },
    { projectId, actor: { userId: 'usr_1', internal: true }, tier: 'enterprise', connectedProviders: [], now: new Date('2026-11-22T10:00:00.000Z') },
  );
  await agents.insert(agent, ORIGIN);
  return agent;
}

function setUp(providers: ConnectedProvider[] = []) {
  const agents = new InMemoryAgents();
  const workspaces = new FakeProviders(providers);
  return { agents, workspaces, handler: new UpdateAgentHandler(agents, workspaces) };
}

const stored = async (agents: InMemoryAgents, id = 'support-bot', projectId = 'prj_1') => (await agents.findById(projectId, id))!.snapshot();

describe('UpdateAgentHandler', () => {
  describe('If-Match', () => {
    it.each([
      ['absent', () => undefined],
      ['"*"', () => ['*']],
      ['the current tag', (tag: string) => [tag]],
      ['a list holding the current tag', (tag: string) => ['0-0', tag]],
    ] as [string, (tag: string) => readonly string[] | undefined][])('%s: the change is applied and stored', async (_what, ifMatch) => {
      const { agents, handler } = setUp();
      const seeded = await seed(agents);

      const agent = await handler.execute(new UpdateAgentCommand('support-bot', { name: 'Billing bot' }, ifMatch(seeded.entityTag), caller()));

      expect(agent.snapshot()).toMatchObject({ id: 'support-bot', name: 'Billing bot', version: '1.0.1', revision: 2 });
      expect(agent.entityTag).not.toBe(seeded.entityTag);
      expect(await stored(agents)).toEqual(agent.snapshot());
      expect(agents.versions.map((v) => [v.version, v.configuration.name])).toEqual([
        ['1.0.0', 'Support bot'],
        ['1.0.1', 'Billing bot'],
      ]);
    });

    it.each([
      ['a stale tag', (stale: string) => [stale]],
      ['a list of stale tags', (stale: string) => [stale, '0-0']],
      ['an empty list (weak tags only)', () => []],
    ] as [string, (stale: string) => readonly string[]][])('%s: PreconditionFailedError, nothing stored', async (_what, ifMatch) => {
      const { agents, handler } = setUp();
      const seeded = await seed(agents);
      const staleTag = seeded.entityTag;
      await handler.execute(new UpdateAgentCommand('support-bot', { description: 'Someone else was first' }, undefined, caller()));
      const before = await stored(agents);
      const versions = [...agents.versions];

      const attempt = handler.execute(new UpdateAgentCommand('support-bot', { name: 'Billing bot' }, ifMatch(staleTag), caller()));

      await expect(attempt).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(attempt).rejects.toMatchObject({ code: 'precondition_failed', message: 'Agent support-bot has changed since that ETag: fetch it again' });
      expect(await stored(agents)).toEqual(before);
      expect(agents.versions).toEqual(versions);
    });

    it('is judged before the patch: a stale tag with an invalid patch is a 412, not a 422', async () => {
      const { agents, handler } = setUp();
      await seed(agents);
      await expect(handler.execute(new UpdateAgentCommand('support-bot', { name: null }, ['0-0'], caller()))).rejects.toBeInstanceOf(PreconditionFailedError);
    });

    it('the tag returned by one update is the one the next update must send', async () => {
      const { agents, handler } = setUp();
      const seeded = await seed(agents);
      const first = await handler.execute(new UpdateAgentCommand('support-bot', { name: 'One' }, [seeded.entityTag], caller()));
      const second = await handler.execute(new UpdateAgentCommand('support-bot', { name: 'Two' }, [first.entityTag], caller()));
      expect(second.snapshot()).toMatchObject({ name: 'Two', version: '1.0.2', revision: 3 });
      await expect(handler.execute(new UpdateAgentCommand('support-bot', { name: 'Three' }, [first.entityTag], caller()))).rejects.toBeInstanceOf(PreconditionFailedError);
      expect((await stored(agents)).name).toBe('Two');
    });
  });

  describe('unknown agents', () => {
    it('is AgentNotFoundError for an id the project never had', async () => {
      const { agents, handler } = setUp();
      await seed(agents);
      const attempt = handler.execute(new UpdateAgentCommand('nope', { name: 'x' }, undefined, caller()));
      await expect(attempt).rejects.toBeInstanceOf(AgentNotFoundError);
      await expect(attempt).rejects.toMatchObject({ code: 'agent_not_found', message: 'Agent nope not found' });
    });

    it("is AgentNotFoundError for another project's agent, which stays as it was", async () => {
      const { agents, handler } = setUp();
      await seed(agents, {}, 'prj_2');
      await expect(handler.execute(new UpdateAgentCommand('support-bot', { name: 'x' }, undefined, caller()))).rejects.toBeInstanceOf(AgentNotFoundError);
      expect((await stored(agents, 'support-bot', 'prj_2')).name).toBe('Support bot');
    });

    it('is AgentNotFoundError for a soft-deleted agent', async () => {
      const { agents, handler } = setUp();
      await seed(agents);
      await agents.remove('prj_1', 'support-bot', 'soft', () => {}, ORIGIN);
      await expect(handler.execute(new UpdateAgentCommand('support-bot', { name: 'x' }, ['*'], caller()))).rejects.toBeInstanceOf(AgentNotFoundError);
    });
  });

  describe('external providers', () => {
    it('are not looked up for a patch without a model or with a managed one', async () => {
      const { agents, workspaces, handler } = setUp();
      await seed(agents);
      await handler.execute(new UpdateAgentCommand('support-bot', { name: 'Renamed' }, undefined, caller()));
      await handler.execute(new UpdateAgentCommand('support-bot', { model: 'claude-haiku-4-5' }, undefined, caller()));
      expect(workspaces.asked).toEqual([]);
      expect((await stored(agents)).model).toBe('claude-haiku-4-5');
    });

    it("are looked up in the caller's workspace for an external model", async () => {
      const { agents, workspaces, handler } = setUp([{ providerType: 'openai', models: ['gpt-5'] }]);
      await seed(agents);
      const agent = await handler.execute(new UpdateAgentCommand('support-bot', { model: 'external:openai:gpt-5' }, undefined, caller({ tier: 'team', workspaceId: 'ws_9' })));
      expect(workspaces.asked).toEqual(['ws_9']);
      expect(agent.snapshot()).toMatchObject({ model: 'external:openai:gpt-5', version: '1.0.1' });
      expect((await stored(agents)).model).toBe('external:openai:gpt-5');
    });

    it('refuse a provider the workspace has not connected, storing nothing', async () => {
      const { agents, workspaces, handler } = setUp([{ providerType: 'openai', models: ['gpt-5'] }]);
      await seed(agents);
      await expect(
        handler.execute(new UpdateAgentCommand('support-bot', { model: 'external:anthropic:claude' }, undefined, caller({ tier: 'team' }))),
      ).rejects.toBeInstanceOf(ProviderNotConnectedError);
      expect(workspaces.asked).toEqual(['ws_1']);
      expect((await stored(agents)).model).toBe('claude-sonnet-4-5');
      expect(agents.versions).toHaveLength(1);
    });
  });

  describe('refusals of the aggregate store nothing', () => {
    it.each([
      ['a 422', { name: '  ' }, caller(), ValidationFailedError],
      ['a locked model', { model: 'claude-opus-4-6' }, caller(), ModelLockedError],
      ['an internal flag', { isDefault: true }, caller(), InternalOnlyError],
    ] as const)('%s', async (_what, patch, who, type) => {
      const { agents, handler } = setUp();
      const seeded = await seed(agents);
      await expect(handler.execute(new UpdateAgentCommand('support-bot', patch, undefined, who))).rejects.toBeInstanceOf(type);
      expect(await stored(agents)).toEqual(seeded.snapshot());
      expect(agents.versions).toEqual([{ ...seeded.recordedVersion, createdBy: { userId: ORIGIN.userId, keyId: ORIGIN.keyId } }]);
      expect(agents.events.map(({ event }) => event.type)).toEqual(['agent.created']);
    });
  });

  it("records the change's event: agent.updated, cause patch, the fields that changed, the caller as its origin", async () => {
    const { agents, handler } = setUp();
    await seed(agents);
    const who = caller({ keyId: 'key_9', userId: 'usr_9', workspaceId: 'ws_9' });
    const agent = await handler.execute(new UpdateAgentCommand('support-bot', { model: 'claude-haiku-4-5', metadata: { owner: 'ops' } }, undefined, who));
    expect(agents.events.slice(1)).toEqual([
      {
        event: { type: 'agent.updated', cause: 'patch', agent, changedFields: ['model', 'metadata'], time: agent.snapshot().updatedAt },
        origin: { workspaceId: 'ws_9', userId: 'usr_9', keyId: 'key_9' },
      },
    ]);
  });

  it('stores a change without a version (metadata) with no version row', async () => {
    const { agents, handler } = setUp();
    await seed(agents);
    const agent = await handler.execute(new UpdateAgentCommand('support-bot', { metadata: { team: null, owner: 'ops' } }, undefined, caller()));
    expect(agent.snapshot()).toMatchObject({ metadata: { owner: 'ops' }, version: '1.0.0', revision: 2 });
    expect(await stored(agents)).toEqual(agent.snapshot());
    expect(agents.versions.map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('changes nothing for a no-op patch: same entity tag, no version', async () => {
    const { agents, handler } = setUp();
    const seeded = await seed(agents);
    const agent = await handler.execute(new UpdateAgentCommand('support-bot', { name: 'Support bot', metadata: { team: 'support' } }, [seeded.entityTag], caller()));
    expect(agent.entityTag).toBe(seeded.entityTag);
    expect(await stored(agents)).toEqual(seeded.snapshot());
    expect(agents.versions).toHaveLength(1);
    expect(agents.events).toHaveLength(1);
  });

  describe('the time of the change', () => {
    it('is read once the agent is locked: a PATCH that waited for the lock is not timed before it', async () => {
      const agents = new ContendedAgents(25);
      const handler = new UpdateAgentHandler(agents, new FakeProviders());
      await seed(agents);

      const agent = await handler.execute(new UpdateAgentCommand('support-bot', { name: 'Billing bot' }, undefined, caller()));

      expect(agent.snapshot().updatedAt.getTime()).toBeGreaterThanOrEqual(agents.lockedAt!.getTime());
      expect(agent.recordedVersion!.createdAt).toEqual(agent.snapshot().updatedAt);
    });

    it("never goes back before the agent's last change (a clock running behind another instance's)", async () => {
      const { agents, handler } = setUp();
      const ahead = new Date(Date.now() + 3_600_000);
      await agents.insert(
        Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5' }, { projectId: 'prj_1', actor: { userId: 'usr_1', internal: true }, tier: 'free', connectedProviders: [], now: ahead }), ORIGIN,
      );

      const agent = await handler.execute(new UpdateAgentCommand('support-bot', { name: 'Billing bot' }, undefined, caller()));

      expect(agent.snapshot()).toMatchObject({ name: 'Billing bot', revision: 2, updatedAt: ahead });
      expect(agents.versions.map((v) => [v.version, v.createdAt])).toEqual([
        ['1.0.0', ahead],
        ['1.0.1', ahead],
      ]);
    });

    it('the agent that loses the default flag keeps a time ahead of the change', async () => {
      const { agents, handler } = setUp();
      const ahead = new Date(Date.now() + 3_600_000);
      await agents.insert(
        Agent.create({ id: 'old-default', name: 'Old', model: 'claude-sonnet-4-5', isDefault: true }, { projectId: 'prj_1', actor: { userId: 'usr_1', internal: true }, tier: 'free', connectedProviders: [], now: ahead }), ORIGIN,
      );
      await seed(agents);

      await handler.execute(new UpdateAgentCommand('support-bot', { isDefault: true }, undefined, caller({ scopes: [...INTERNAL_SCOPES] })));

      expect(await stored(agents, 'old-default')).toMatchObject({ isDefault: false, revision: 2, updatedAt: ahead });
    });
  });

  it('lets an internal caller make the agent the default, moving the flag', async () => {
    const { agents, handler } = setUp();
    await seed(agents, { id: 'old-default', isDefault: true });
    await seed(agents);
    const agent = await handler.execute(new UpdateAgentCommand('support-bot', { isDefault: true }, undefined, caller({ scopes: [...INTERNAL_SCOPES] })));
    expect(agent.isDefault).toBe(true);
    expect((await stored(agents)).isDefault).toBe(true);
    expect(await stored(agents, 'old-default')).toMatchObject({ isDefault: false, revision: 2 });
    expect(agents.events.slice(2).map(({ event }) => [event.agent.id, event.cause, event.changedFields])).toEqual([
      ['old-default', 'default_moved', ['isDefault']],
      ['support-bot', 'patch', ['isDefault']],
    ]);
  });
});
