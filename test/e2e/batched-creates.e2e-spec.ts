import { Agent } from '../../src/modules/agents/domain/agent.js';
import { AgentRepository } from '../../src/modules/agents/domain/agent.repository.js';
import { agentBody, call, inParallel, type HttpAnswer } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

// Creates arriving together are written together (statement-batches.ts): one statement, one
// transaction for a turn's creates. Each request must still be answered as if it had been alone:
// its own agent, first version and created event, its own 409, its own failure.

const PARALLEL = 60;
const TIMEOUT_MS = 60_000;

const statusesOf = (answers: readonly HttpAnswer[]) => answers.map((answer) => answer.status);

describe('creates written in batches', () => {
  let t: TestApp;
  let alice: Tenant;
  let bob: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    [alice, bob] = await Promise.all([t.tenants.create(), t.tenants.create()]);
  }, TIMEOUT_MS);
  afterAll(() => t?.close());

  const post = (as: Tenant, body: unknown) => call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body });
  const count = async (sql: string, values: unknown[]) => Number((await t.dataSource.query(sql, values))[0].count);

  it('gives every create of a burst, from two projects, its own agent, first version and created event', async () => {
    const answers = await inParallel(PARALLEL, (i) => post(i % 2 ? bob : alice, agentBody({ name: `Burst ${i}` })));
    expect(statusesOf(answers)).toEqual(Array(PARALLEL).fill(201));

    for (const [i, answer] of answers.entries()) {
      const owner = i % 2 ? bob : alice;
      const { id, name, version, createdAt } = answer.body.agent;
      expect(name).toBe(`Burst ${i}`);
      const [stored] = await t.dataSource.query('SELECT name, project_id FROM agents WHERE id = $1', [id]);
      expect(stored).toEqual({ name: `Burst ${i}`, project_id: owner.projectId });
      const versions = await t.dataSource.query('SELECT number, version, created_at FROM agent_versions WHERE project_id = $1 AND agent_id = $2', [owner.projectId, id]);
      expect(versions).toEqual([{ number: 1, version, created_at: new Date(createdAt) }]);
      const events = await t.dataSource.query('SELECT type, data FROM agent_events WHERE project_id = $1 AND subject = $2', [owner.projectId, id]);
      expect(events).toEqual([{ type: 'agent.created', data: expect.objectContaining({ agent: answer.body.agent }) }]);
    }

    // They were written together: fewer transactions (the rows' xmin) than agents.
    const transactions = await count('SELECT count(DISTINCT xmin::text) AS count FROM agents WHERE name LIKE $1', ['Burst %']);
    expect(transactions).toBeLessThan(PARALLEL);
  }, TIMEOUT_MS);

  it('lets one of a burst of creates of one id through; the others get 409 and write nothing', async () => {
    const answers = await inParallel(20, () => post(alice, agentBody({ id: 'one-of-many', name: 'One of many' })));
    const statuses = statusesOf(answers).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const answer of answers.filter((each) => each.status === 409)) expect(answer.body.code).toBe('agent_id_conflict');

    const values = [alice.projectId, 'one-of-many'];
    expect(await count('SELECT count(*) FROM agents WHERE project_id = $1 AND id = $2', values)).toBe(1);
    expect(await count('SELECT count(*) FROM agent_versions WHERE project_id = $1 AND agent_id = $2', values)).toBe(1);
    expect(await count('SELECT count(*) FROM agent_events WHERE project_id = $1 AND subject = $2', values)).toBe(1);
  }, TIMEOUT_MS);

  it('keeps one id per project: the same id in another project, in the same burst, is created', async () => {
    const answers = await Promise.all([alice, bob].map((as) => post(as, agentBody({ id: 'same-in-both', name: 'Same in both' }))));
    expect(statusesOf(answers)).toEqual([201, 201]);
  }, TIMEOUT_MS);

  it('fails only the create whose row the database refuses, not the others of its batch', async () => {
    const agents = t.app.get(AgentRepository);
    const origin = { workspaceId: alice.workspaceId, userId: alice.userId, keyId: alice.keyId };
    const agentIn = (projectId: string, id: string) =>
      Agent.create(
        { id, name: id, model: 'claude-sonnet-4-5' },
        { projectId, actor: { userId: alice.userId, internal: false }, tier: 'enterprise', connectedProviders: [], now: new Date() },
      );
    // A project that does not exist breaks the agents' foreign key: the whole batch's statement fails.
    const settled = await Promise.allSettled([
      agents.insert(agentIn(alice.projectId, 'beside-a-refused-one-1'), origin),
      agents.insert(agentIn('prj_does_not_exist', 'refused-one'), origin),
      agents.insert(agentIn(alice.projectId, 'beside-a-refused-one-2'), origin),
    ]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/foreign key/);

    const stored = await t.dataSource.query("SELECT id FROM agents WHERE id LIKE '%refused-one%' ORDER BY id");
    expect(stored).toEqual([{ id: 'beside-a-refused-one-1' }, { id: 'beside-a-refused-one-2' }]);
    expect(await count("SELECT count(*) FROM agent_events WHERE subject LIKE '%refused-one%'", [])).toBe(2);
  }, TIMEOUT_MS);

  it('writes array and JSON fields exactly as sent, quotes and backslashes included', async () => {
    const skills = ['deep_research'];
    const metadata = { quote: 'a "quoted" \\ value', nested: { list: [1, '{x,y}'] } };
    const answer = await post(alice, agentBody({ name: 'Escapes "and" \\ braces {}', enabledSkills: skills, metadata }));
    expect(answer.status).toBe(201);
    const fetched = await call(t.baseUrl, 'GET', `/v1/agents/${answer.body.agent.id}`, { tenant: alice });
    expect(fetched.body.agent).toMatchObject({ name: 'Escapes "and" \\ braces {}', enabledSkills: skills, metadata });
  }, TIMEOUT_MS);
});
