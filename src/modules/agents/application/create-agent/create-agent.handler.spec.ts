import { ValidationFailedError } from '../../../../shared/domain/domain-error.js';
import { AgentIdConflictError, ModelLockedError, ProviderNotConnectedError } from '../../domain/agent.errors.js';
import { InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import { CreateAgentCommand } from './create-agent.command.js';
import { CreateAgentHandler } from './create-agent.handler.js';
import { FakeProviders, caller } from '../../../../../test/support/handler-fakes.js';

describe('CreateAgentHandler', () => {
  it('creates the agent in the caller\'s project, for the caller, and saves it once', async () => {
    const agents = new InMemoryAgents();
    const providers = new FakeProviders();
    const handler = new CreateAgentHandler(agents, providers);

    const agent = await handler.execute(new CreateAgentCommand({ name: 'Bot', model: 'claude-haiku-4-5' }, caller()));

    expect([...agents.agents.values()]).toEqual([agent]);
    expect(agents.versions.map((v) => [v.agentId, v.version])).toEqual([[agent.id, '1.0.0']]);
    expect(agent.snapshot()).toMatchObject({ projectId: 'prj_1', userId: 'usr_1', name: 'Bot', reasoningEffort: 'low' });
    expect(providers.asked).toEqual([]); // a managed model needs no look-up
  });

  it("checks an external model against the caller's workspace providers", async () => {
    const agents = new InMemoryAgents();
    const providers = new FakeProviders([{ providerType: 'openai', models: ['gpt-5'] }]);
    const handler = new CreateAgentHandler(agents, providers);

    const agent = await handler.execute(new CreateAgentCommand({ name: 'Bot', model: 'external:openai:gpt-5' }, caller({ tier: 'team' })));
    expect(agent.snapshot().model).toBe('external:openai:gpt-5');
    expect(providers.asked).toEqual(['ws_1']);

    await expect(
      handler.execute(new CreateAgentCommand({ name: 'Bot', model: 'external:anthropic:x' }, caller({ tier: 'team' }))),
    ).rejects.toBeInstanceOf(ProviderNotConnectedError);
  });

  it('saves nothing when the aggregate refuses', async () => {
    const agents = new InMemoryAgents();
    const handler = new CreateAgentHandler(agents, new FakeProviders());

    await expect(handler.execute(new CreateAgentCommand({ name: 'Bot', model: 'claude-opus-4-6' }, caller()))).rejects.toBeInstanceOf(ModelLockedError);
    await expect(handler.execute(new CreateAgentCommand({ name: '', model: 'nope' }, caller()))).rejects.toBeInstanceOf(ValidationFailedError);
    expect(agents.agents.size).toBe(0);
  });

  it('passes the repository\'s conflict through', async () => {
    const handler = new CreateAgentHandler(new InMemoryAgents(), new FakeProviders());
    await handler.execute(new CreateAgentCommand({ id: 'same', name: 'A', model: 'gemini-3-flash' }, caller()));
    await expect(handler.execute(new CreateAgentCommand({ id: 'same', name: 'B', model: 'gemini-3-flash' }, caller()))).rejects.toBeInstanceOf(AgentIdConflictError);
  });

  it('lets an internal caller set the flags and name another user', async () => {
    const handler = new CreateAgentHandler(new InMemoryAgents(), new FakeProviders());
    const agent = await handler.execute(
      new CreateAgentCommand(
        { name: 'Sys', model: 'gemini-3-flash', isDefault: true, isSystem: true, userId: 'usr_2' },
        caller({ scopes: ['agents:write', 'internal'] }),
      ),
    );
    expect(agent.snapshot()).toMatchObject({ isDefault: true, isSystem: true, userId: 'usr_2' });
  });

  it("gives a request without a model the workspace's default model and that model's default effort", async () => {
    const none = new FakeProviders();
    const sonnet = await new CreateAgentHandler(new InMemoryAgents(), none).execute(new CreateAgentCommand({ name: 'Runner', userId: 'usr_1' }, caller()));
    expect(sonnet.snapshot()).toMatchObject({ model: 'claude-sonnet-4-5', reasoningEffort: 'medium' });
    expect(none.asked).toEqual(['ws_1']);

    const chosen = new CreateAgentHandler(new InMemoryAgents(), new FakeProviders([], 'gemini-3-flash'));
    expect((await chosen.execute(new CreateAgentCommand({ name: 'Runner' }, caller()))).snapshot()).toMatchObject({ model: 'gemini-3-flash', reasoningEffort: 'high' });

    // A choice the tier no longer reaches (the workspace was downgraded) falls back to the catalog default.
    const downgraded = new CreateAgentHandler(new InMemoryAgents(), new FakeProviders([], 'claude-opus-4-6'));
    expect((await downgraded.execute(new CreateAgentCommand({ name: 'Runner' }, caller({ tier: 'free' })))).snapshot().model).toBe('claude-sonnet-4-5');
  });
});
