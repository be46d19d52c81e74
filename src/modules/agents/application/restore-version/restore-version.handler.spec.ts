import { ValidationFailedError } from '../../../../shared/domain/domain-error.js';
import { Agent, type NewAgent } from '../../domain/agent.js';
import { AgentNotFoundError, AgentVersionNotFoundError, ModelLockedError, ProviderNotConnectedError } from '../../domain/agent.errors.js';
import { ContendedAgents, InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import type { ConnectedProvider } from '../workspace-providers.port.js';
import { RestoreVersionCommand } from './restore-version.command.js';
import { RestoreVersionHandler } from './restore-version.handler.js';
import { FakeProviders, ORIGIN, caller } from '../../../../../test/support/handler-fakes.js';

const CREATED = new Date('2026-11-22T10:00:00.000Z');

/** An agent at 1.0.0 (`first`), then changed by `later` into 1.0.1, as the repository stores them. */
async function setUp(first: Partial<NewAgent> = {}, later: Parameters<Agent['update']>[0] = { name: 'Support bot v2', instructions: 'Be brief.' }, providers: ConnectedProvider[] = []) {
  const agents = new InMemoryAgents();
  const ctx = { projectId: 'prj_1', actor: { userId: 'usr_1', internal: true }, tier: 'enterprise', connectedProviders: ['openai'], now: CREATED } as const;
  await agents.insert(Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5', ...first }, ctx), ORIGIN);
  await agents.modify('prj_1', 'support-bot', (agent) => agent.update(later, ctx), { origin: ORIGIN, cause: 'patch' });
  const workspaces = new FakeProviders(providers);
  return { agents, workspaces, handler: new RestoreVersionHandler(agents, workspaces) };
}

describe('RestoreVersionHandler', () => {
  it('records a new version (the next patch) with the configuration of the old one', async () => {
    const { agents, workspaces, handler } = await setUp();
    const old = (await agents.findVersion('prj_1', 'support-bot', '1.0.0'))!;

    const agent = await handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller()));

    expect(agent.snapshot()).toMatchObject({ name: 'Support bot', instructions: null, version: '1.0.2', revision: 3 });
    expect(agent.configuration()).toEqual(old.configuration);
    expect((await agents.findById('prj_1', 'support-bot'))!.snapshot()).toEqual(agent.snapshot());
    expect(agents.versions.map((v) => [v.version, v.configuration.name])).toEqual([
      ['1.0.0', 'Support bot'],
      ['1.0.1', 'Support bot v2'],
      ['1.0.2', 'Support bot'],
    ]);
    expect(await agents.findVersion('prj_1', 'support-bot', '1.0.2')).toEqual({ ...old, version: '1.0.2', createdAt: agent.snapshot().updatedAt });
    expect(workspaces.asked).toEqual([]);
  });

  it('times the restore once the agent is locked, and never before its last change', async () => {
    const ctx = { projectId: 'prj_1', actor: { userId: 'usr_1', internal: true }, tier: 'free', connectedProviders: [], now: CREATED } as const;
    const agents = new ContendedAgents(25);
    await agents.insert(Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5' }, ctx), ORIGIN);
    const ahead = new Date(Date.now() + 3_600_000);
    await agents.insert(Agent.create({ id: 'ahead-bot', name: 'Ahead', model: 'claude-sonnet-4-5' }, { ...ctx, now: ahead }), ORIGIN);
    const handler = new RestoreVersionHandler(agents, new FakeProviders());

    const restored = await handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller()));
    expect(restored.snapshot().updatedAt.getTime()).toBeGreaterThanOrEqual(agents.lockedAt!.getTime());
    expect(restored.recordedVersion!.createdAt).toEqual(restored.snapshot().updatedAt);

    const kept = await handler.execute(new RestoreVersionCommand('ahead-bot', '1.0.0', undefined, caller()));
    expect(kept.snapshot()).toMatchObject({ version: '1.0.1', updatedAt: ahead });
    expect((await agents.findVersion('prj_1', 'ahead-bot', '1.0.1'))!.createdAt).toEqual(ahead);
  });

  it('records it under the name the caller gives', async () => {
    const { agents, handler } = await setUp();
    const agent = await handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', '2.0.0', caller()));
    expect(agent.version).toBe('2.0.0');
    expect(agents.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '2.0.0']);
  });

  it('refuses a name not greater than the current version, storing nothing', async () => {
    const { agents, handler } = await setUp();
    await expect(handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', '1.0.1', caller()))).rejects.toBeInstanceOf(ValidationFailedError);
    expect(agents.versions).toHaveLength(2);
    expect((await agents.findById('prj_1', 'support-bot'))!.version).toBe('1.0.1');
  });

  it('is AgentVersionNotFoundError for a version the agent does not have, storing nothing', async () => {
    const { agents, handler } = await setUp();
    const attempt = handler.execute(new RestoreVersionCommand('support-bot', '0.9.0', undefined, caller()));
    await expect(attempt).rejects.toBeInstanceOf(AgentVersionNotFoundError);
    await expect(attempt).rejects.toMatchObject({ code: 'version_not_found', message: 'Agent support-bot has no version 0.9.0' });
    expect(agents.versions).toHaveLength(2);
    expect((await agents.findById('prj_1', 'support-bot'))!.snapshot()).toMatchObject({ version: '1.0.1', revision: 2 });
  });

  it("does not take another agent's version", async () => {
    const { agents, handler } = await setUp();
    await agents.insert(
      Agent.create({ id: 'other-bot', name: 'Other', model: 'claude-haiku-4-5', version: '3.0.0' }, { projectId: 'prj_1', actor: { userId: 'usr_1', internal: false }, tier: 'free', connectedProviders: [], now: CREATED }), ORIGIN,
    );
    await expect(handler.execute(new RestoreVersionCommand('support-bot', '3.0.0', undefined, caller()))).rejects.toBeInstanceOf(AgentVersionNotFoundError);
  });

  it.each([
    ['an unknown agent', 'nope', caller()],
    ["another project's agent", 'support-bot', caller({ projectId: 'prj_2' })],
  ] as const)('is AgentNotFoundError for %s', async (_what, id, who) => {
    const { handler } = await setUp();
    const attempt = handler.execute(new RestoreVersionCommand(id, '1.0.0', undefined, who));
    await expect(attempt).rejects.toBeInstanceOf(AgentNotFoundError);
    await expect(attempt).rejects.toMatchObject({ code: 'agent_not_found' });
  });

  it('is AgentNotFoundError for a soft-deleted agent, whose versions are still stored', async () => {
    const { agents, handler } = await setUp();
    await agents.remove('prj_1', 'support-bot', 'soft', () => {}, ORIGIN);
    await expect(handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller()))).rejects.toBeInstanceOf(AgentNotFoundError);
  });

  it("judges the old model against the caller's tier when it differs from the current one", async () => {
    const { agents, handler } = await setUp({ model: 'claude-opus-4-6' }, { model: 'claude-sonnet-4-5' });
    await expect(handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller({ tier: 'free' })))).rejects.toBeInstanceOf(ModelLockedError);
    expect(agents.versions).toHaveLength(2);
    const agent = await handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller({ tier: 'pro' })));
    expect(agent.snapshot()).toMatchObject({ model: 'claude-opus-4-6', version: '1.0.2' });
  });

  it("looks up the workspace's providers for an old external model", async () => {
    const model = 'external:openai:gpt-5';
    const connected = await setUp({ model }, { model: 'claude-sonnet-4-5', reasoningEffort: null }, [{ providerType: 'openai', models: ['gpt-5'] }]);
    const agent = await connected.handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller({ tier: 'team' })));
    expect(agent.snapshot().model).toBe(model);
    expect(connected.workspaces.asked).toEqual(['ws_1']);

    const disconnected = await setUp({ model }, { model: 'claude-sonnet-4-5', reasoningEffort: null }, []);
    await expect(disconnected.handler.execute(new RestoreVersionCommand('support-bot', '1.0.0', undefined, caller({ tier: 'team' })))).rejects.toBeInstanceOf(ProviderNotConnectedError);
  });
});
