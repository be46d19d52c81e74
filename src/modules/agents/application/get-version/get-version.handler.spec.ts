import { Agent } from '../../domain/agent.js';
import { AgentNotFoundError, AgentVersionNotFoundError, LabelNotFoundError } from '../../domain/agent.errors.js';
import type { VersionRef } from '../../domain/version-ref.js';
import { InMemoryAgents } from '../../../../../test/support/in-memory-agents.js';
import { GetVersionQuery } from './get-version.query.js';
import { GetVersionHandler } from './get-version.handler.js';
import { ORIGIN, caller } from '../../../../../test/support/handler-fakes.js';

const CREATED = new Date('2026-11-22T10:00:00.000Z');
const LATER = new Date('2026-11-23T10:00:00.000Z');
const v = (version: string): VersionRef => ({ kind: 'version', version });
const AUTHOR = { userId: ORIGIN.userId, keyId: ORIGIN.keyId };

async function setUp() {
  const agents = new InMemoryAgents();
  const ctx = { projectId: 'prj_1', actor: { userId: 'usr_1', internal: false }, tier: 'free', connectedProviders: [], now: CREATED } as const;
  await agents.insert(Agent.create({ id: 'support-bot', name: 'Support bot', model: 'claude-sonnet-4-5', config: { retries: 1 } }, ctx), ORIGIN);
  await agents.modify('prj_1', 'support-bot', (agent) => agent.update({ config: { retries: 2 }, version: '1.1.0' }, { ...ctx, now: LATER }), { origin: ORIGIN, cause: 'patch' });
  return { agents, handler: new GetVersionHandler(agents) };
}

describe('GetVersionHandler', () => {
  it('returns each recorded version with its own configuration', async () => {
    const { handler } = await setUp();
    const first = await handler.execute(new GetVersionQuery('support-bot', v('1.0.0'), caller()));
    const second = await handler.execute(new GetVersionQuery('support-bot', v('1.1.0'), caller()));
    expect(first).toEqual({
      projectId: 'prj_1',
      agentId: 'support-bot',
      version: '1.0.0',
      createdAt: CREATED,
      createdBy: AUTHOR,
      configuration: {
        name: 'Support bot', description: null, model: 'claude-sonnet-4-5', instructions: null, binary: null,
        reasoningEffort: 'medium', enabledSkills: [], deepResearchModel: null, config: { retries: 1 },
      },
    });
    expect(second).toEqual({ ...first, version: '1.1.0', createdAt: LATER, configuration: { ...first.configuration, config: { retries: 2 } } });
  });

  it('resolves latest to the current version, and a label to the version it names now', async () => {
    const { agents, handler } = await setUp();
    const latest = await handler.execute(new GetVersionQuery('support-bot', { kind: 'latest' }, caller()));
    expect(latest.version).toBe('1.1.0');
    await agents.setLabel('prj_1', 'support-bot', 'production', '1.0.0', () => {}, ORIGIN);
    expect((await handler.execute(new GetVersionQuery('support-bot', { kind: 'label', name: 'production' }, caller()))).version).toBe('1.0.0');
    await agents.setLabel('prj_1', 'support-bot', 'production', '1.1.0', () => {}, ORIGIN);
    expect((await handler.execute(new GetVersionQuery('support-bot', { kind: 'label', name: 'production' }, caller()))).version).toBe('1.1.0');
  });

  it('is LabelNotFoundError for a label the agent does not have', async () => {
    const { handler } = await setUp();
    const attempt = handler.execute(new GetVersionQuery('support-bot', { kind: 'label', name: 'canary' }, caller()));
    await expect(attempt).rejects.toBeInstanceOf(LabelNotFoundError);
    await expect(attempt).rejects.toMatchObject({ code: 'label_not_found', message: 'Agent support-bot has no label canary' });
  });

  it('is AgentVersionNotFoundError for a version the agent does not have', async () => {
    const { handler } = await setUp();
    for (const version of ['1.0.1', '1.1.0+build', '2.0.0']) {
      const attempt = handler.execute(new GetVersionQuery('support-bot', v(version), caller()));
      await expect(attempt).rejects.toBeInstanceOf(AgentVersionNotFoundError);
      await expect(attempt).rejects.toMatchObject({ code: 'version_not_found', message: `Agent support-bot has no version ${version}` });
    }
  });

  it('is AgentNotFoundError for an unknown agent', async () => {
    const { handler } = await setUp();
    const attempt = handler.execute(new GetVersionQuery('nope', v('1.0.0'), caller()));
    await expect(attempt).rejects.toBeInstanceOf(AgentNotFoundError);
    await expect(attempt).rejects.toMatchObject({ code: 'agent_not_found', message: 'Agent nope not found' });
  });

  it("is AgentNotFoundError for another project's agent", async () => {
    const { handler } = await setUp();
    await expect(handler.execute(new GetVersionQuery('support-bot', v('1.0.0'), caller({ projectId: 'prj_2' })))).rejects.toBeInstanceOf(AgentNotFoundError);
  });

  it('is AgentNotFoundError for a soft-deleted agent, although its versions are still stored', async () => {
    const { agents, handler } = await setUp();
    await agents.remove('prj_1', 'support-bot', 'soft', () => {}, ORIGIN);
    expect((await agents.findVersion('prj_1', 'support-bot', '1.0.0'))!.version).toBe('1.0.0');
    await expect(handler.execute(new GetVersionQuery('support-bot', v('1.0.0'), caller()))).rejects.toBeInstanceOf(AgentNotFoundError);
  });
});
