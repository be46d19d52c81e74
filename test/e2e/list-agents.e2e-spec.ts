import { agentBody, call } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';

const INTERNAL = ['agents:read', 'agents:write', 'internal'] as const;

describe('GET /v1/agents', () => {
  let t: TestApp;
  const create = async (as: Tenant, fields: Record<string, unknown> = {}) => {
    const answer = await call(t.baseUrl, 'POST', '/v1/agents', { tenant: as, body: agentBody(fields) });
    expect(answer.status).toBe(201);
    return answer.body.agent as { id: string; createdAt: string };
  };
  /** `count` agents, created `parallel` at a time (so some share a created_at: the id breaks the tie). */
  const createMany = async (as: Tenant, count: number, fields: (i: number) => Record<string, unknown> = () => ({}), parallel = 6) => {
    for (let start = 0; start < count; start += parallel) {
      const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, j) => start + j);
      await Promise.all(batch.map((i) => create(as, { id: `a${String(i).padStart(3, '0')}`, ...fields(i) })));
    }
  };
  const list = (as: Tenant, query = '') => call(t.baseUrl, 'GET', `/v1/agents${query}`, { tenant: as });
  /** The live agents of a project as the database orders them. */
  const idsInOrder = async (projectId: string, order: 'asc' | 'desc') =>
    (
      await t.dataSource.query(
        `SELECT id FROM agents WHERE project_id = $1 AND deleted_at IS NULL ORDER BY created_at ${order}, id ${order}`,
        [projectId],
      )
    ).map((row: { id: string }) => row.id);
  /** Every page from the first, following next_cursor; checks the envelope of each page. */
  const pageThrough = async (as: Tenant, query: string, between: () => Promise<void> = async () => {}) => {
    const pages: { ids: string[]; total: number }[] = [];
    let cursor: string | null = null;
    do {
      if (cursor !== null) await between();
      const answer: Awaited<ReturnType<typeof list>> = await list(as, `?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.object).toBe('list');
      expect(answer.body.has_more).toBe(answer.body.next_cursor !== null);
      pages.push({ ids: answer.body.data.map((agent: { id: string }) => agent.id), total: answer.body.total_count });
      cursor = answer.body.next_cursor;
      if (pages.length > 200) throw new Error('Paging never ends');
    } while (cursor !== null);
    return pages;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('pages', () => {
    let tenant: Tenant;

    beforeAll(async () => {
      tenant = await t.tenants.create();
      await createMany(tenant, 25);
    });

    it('lists newest first, 20 by default, with the list envelope', async () => {
      const expected = await idsInOrder(tenant.projectId, 'desc');
      const answer = await list(tenant);

      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).sort()).toEqual(['data', 'has_more', 'next_cursor', 'object', 'total_count']);
      expect(answer.body).toMatchObject({ object: 'list', has_more: true, next_cursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/), total_count: 25 });
      expect(answer.body.data.map((agent: { id: string }) => agent.id)).toEqual(expected.slice(0, 20));
      const first = answer.body.data[0];
      expect(first).toEqual((await call(t.baseUrl, 'GET', `/v1/agents/${first.id}`, { tenant })).body.agent);
    });

    it.each(['desc', 'asc'] as const)('pages through every agent once in order=%s', async (order) => {
      const expected = await idsInOrder(tenant.projectId, order);
      const pages = await pageThrough(tenant, `limit=7&order=${order}`);

      expect(pages.map((page) => page.ids.length)).toEqual([7, 7, 7, 4]);
      expect(pages.flatMap((page) => page.ids)).toEqual(expected);
      expect(pages.map((page) => page.total)).toEqual([25, 25, 25, 25]);
    });

    it('ends with has_more false and a null cursor when the page is exactly full', async () => {
      const pages = await pageThrough(tenant, 'limit=25');
      expect(pages).toEqual([{ ids: await idsInOrder(tenant.projectId, 'desc'), total: 25 }]);
    });

    it('accepts the bounds of limit', async () => {
      const one = await list(tenant, '?limit=1');
      expect(one.status).toBe(200);
      expect(one.body.data).toHaveLength(1);
      expect(one.body.has_more).toBe(true);
      const hundred = await list(tenant, '?limit=100');
      expect(hundred.status).toBe(200);
      expect(hundred.body).toMatchObject({ has_more: false, next_cursor: null, total_count: 25 });
      expect(hundred.body.data).toHaveLength(25);
    });

    it('answers an empty project with an empty list', async () => {
      const empty = await t.tenants.create();
      const answer = await list(empty);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null, total_count: 0 });
    });

    it('leaves soft-deleted agents out of the pages and the count', async () => {
      const project = await t.tenants.create();
      await createMany(project, 5);
      expect((await call(t.baseUrl, 'DELETE', '/v1/agents/a002', { tenant: project })).status).toBe(200);
      expect((await call(t.baseUrl, 'DELETE', '/v1/agents/a004?hard=true', { tenant: project })).status).toBe(200);

      const answer = await list(project, '?order=asc');
      expect(answer.body.data.map((agent: { id: string }) => agent.id).sort()).toEqual(['a000', 'a001', 'a003']);
      expect(answer.body.total_count).toBe(3);
    });
  });

  describe('stable under concurrent inserts', () => {
    it.each(['desc', 'asc'] as const)('shows every agent that existed when paging began exactly once (order=%s)', async (order) => {
      const tenant = await t.tenants.create();
      await createMany(tenant, 60, () => ({}), 10);
      const before = await idsInOrder(tenant.projectId, order);
      expect(before).toHaveLength(60);

      let inserted = 0;
      let done = false;
      let inserter: Promise<void> | undefined;
      const insertUntilDone = async () => {
        while (!done) {
          await create(tenant, { id: `new-${order}-${inserted}`, name: 'Inserted while paging' });
          inserted++;
        }
      };
      // The inserts start once the first page is read; before each later page, at least one more
      // insert has landed, so inserts fall between every two pages.
      let seen = 0;
      const waitForAnInsert = async () => {
        inserter ??= insertUntilDone();
        while (inserted <= seen) await new Promise((resolve) => setTimeout(resolve, 1));
        seen = inserted;
      };
      let pages: { ids: string[]; total: number }[];
      try {
        pages = await pageThrough(tenant, `limit=7&order=${order}`, waitForAnInsert);
      } finally {
        done = true;
        await inserter;
      }

      const shown = pages.flatMap((page) => page.ids);
      expect(inserted).toBeGreaterThanOrEqual(pages.length - 1);
      expect(new Set(shown).size).toBe(shown.length);
      const preExisting = shown.filter((id) => !id.startsWith('new-'));
      expect(preExisting).toEqual(before);
      // Newer rows sort before the first page when newest first, after the pre-existing ones else.
      if (order === 'desc') expect(shown).toEqual(before);
      else expect(shown.slice(0, 60)).toEqual(before);
      // The count follows the inserts: it only grows.
      const totals = pages.map((page) => page.total);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      expect(totals[0]).toBe(60);
      expect(totals.at(-1)).toBeGreaterThan(60);
    });
  });

  describe('filters', () => {
    let tenant: Tenant;
    const ids = (answer: { body: { data: { id: string }[] } }) => answer.body.data.map((agent) => agent.id).sort();

    beforeAll(async () => {
      tenant = await t.tenants.create({ tier: 'team', scopes: [...INTERNAL] });
      await create(tenant, { id: 'sonnet-support', name: 'Support Bot', metadata: { team: 'support', tier: 'gold', n: 1 } });
      await create(tenant, { id: 'haiku-support', name: 'support triage', model: 'claude-haiku-4-5', metadata: { team: 'support' } });
      await create(tenant, { id: 'gemini-research', name: 'Researcher', model: 'gemini-3-flash', enabledSkills: ['deep_research', 'web'], metadata: { team: 'research' } });
      await create(tenant, { id: 'default-one', name: 'The 100% bot_x', isDefault: true, enabledSkills: ['web'], metadata: { team: { nested: 'support' } } });
      await create(tenant, { id: 'inactive', name: 'SUPPORT legacy' });
      expect((await call(t.baseUrl, 'PATCH', '/v1/agents/inactive', { tenant, body: { isActive: false } })).status).toBe(200);
    });

    it.each([
      ['model', '?model=claude-sonnet-4-5', ['default-one', 'inactive', 'sonnet-support']],
      ['model (none)', '?model=claude-opus-4-6', []],
      ['isActive=true', '?isActive=true', ['default-one', 'gemini-research', 'haiku-support', 'sonnet-support']],
      ['isActive=false', '?isActive=false', ['inactive']],
      ['isDefault=true', '?isDefault=true', ['default-one']],
      ['isDefault=false', '?isDefault=false', ['gemini-research', 'haiku-support', 'inactive', 'sonnet-support']],
      ['skill', '?skill=web', ['default-one', 'gemini-research']],
      ['skill deep_research', '?skill=deep_research', ['gemini-research']],
      ['q, case-insensitive', '?q=SuPpOrT', ['haiku-support', 'inactive', 'sonnet-support']],
      ['q with a literal %', '?q=100%25', ['default-one']],
      ['q with a literal _', '?q=t_x', ['default-one']],
      ['q where % is no wildcard', '?q=S%25t', []],
      ['q where _ is no wildcard', '?q=Suppor_', []],
      ['metadata[key]=value', '?metadata[team]=support', ['haiku-support', 'sonnet-support']],
      ['two metadata filters', '?metadata[team]=support&metadata[tier]=gold', ['sonnet-support']],
      ['metadata, exact match only', '?metadata[team]=Support', []],
      ['metadata of a missing key', '?metadata[nothing]=x', []],
      ['all of them at once', '?model=claude-sonnet-4-5&isActive=true&isDefault=false&q=bot&metadata[team]=support', ['sonnet-support']],
    ])('filters by %s, and counts only the matches', async (_, query, expected) => {
      const answer = await list(tenant, query);
      expect(answer.status).toBe(200);
      expect(ids(answer)).toEqual(expected);
      expect(answer.body.total_count).toBe(expected.length);
    });

    it('keeps the filter across pages', async () => {
      const pages = await pageThrough(tenant, 'limit=1&order=asc&q=support');
      expect(pages).toEqual([
        { ids: ['sonnet-support'], total: 3 },
        { ids: ['haiku-support'], total: 3 },
        { ids: ['inactive'], total: 3 },
      ]);
    });
  });

  describe('422', () => {
    let tenant: Tenant;
    const expect422 = async (query: string, detail: unknown[]) => {
      const answer = await list(tenant, query);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ detail });
    };
    const entry = (name: string, type: string) => ({ loc: ['query', name], msg: expect.any(String), type });
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    beforeAll(async () => {
      tenant = await t.tenants.create();
      await createMany(tenant, 3);
    });

    it.each(['0', '101', '-1', '1.5', 'abc', '', '1e2', '0x10', '007'.repeat(2)])('refuses limit=%s', async (limit) => {
      await expect422(`?limit=${limit}`, [
        { loc: ['query', 'limit'], msg: 'limit must be an integer from 1 to 100', type: 'limit_out_of_range' },
      ]);
    });

    it('refuses an unknown order', async () => {
      await expect422('?order=newest', [{ loc: ['query', 'order'], msg: 'order must be asc or desc', type: 'enum' }]);
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['base64 of no JSON', Buffer.from('garbage').toString('base64url')],
      ['a JSON array', cursorOf([1, 2])],
      ['a JSON string', cursorOf('x')],
      ['the wrong fields', cursorOf({ n: 3 })],
      ['a t that is no date', cursorOf({ t: 'yesterday', i: 'a001' })],
      ['a t that is not canonical', cursorOf({ t: '2026-01-01', i: 'a001' })],
      ['an i no agent can have', cursorOf({ t: new Date().toISOString(), i: '-bad id' })],
      ['an i that is too long', cursorOf({ t: new Date().toISOString(), i: 'a'.repeat(65) })],
      ['a numeric i', cursorOf({ t: new Date().toISOString(), i: 7 })],
    ])('refuses a forged cursor (%s)', async (_, cursor) => {
      await expect422(`?cursor=${encodeURIComponent(cursor)}`, [
        { loc: ['query', 'cursor'], msg: 'Not a cursor this API gave: use next_cursor of the previous page', type: 'invalid_cursor' },
      ]);
    });

    it.each([
      ['the earliest date JavaScript knows', new Date(-8.64e15).toISOString()],
      ['the latest date JavaScript knows', new Date(8.64e15).toISOString()],
      ['year 10000', new Date(Date.UTC(10_000, 0, 1)).toISOString()],
      ['a date before 4713 BC', new Date(Date.UTC(-5000, 0, 1)).toISOString()],
    ])('answers a well-formed cursor at %s as a 422, never a 500', async (_, at) => {
      const answer = await list(tenant, `?cursor=${cursorOf({ t: at, i: 'a001' })}`);
      // No agent was created then: no page of the API ever gave such a cursor.
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ detail: [entry('cursor', 'invalid_cursor')] });
    });

    it('refuses a cursor over 255 characters', async () => {
      await expect422(`?cursor=${'A'.repeat(256)}`, [{ loc: ['query', 'cursor'], msg: 'At most 255 characters', type: 'string_too_long' }]);
    });

    it('refuses a versions cursor on the agents list', async () => {
      await expect422(`?cursor=${cursorOf({ n: 2 })}`, [entry('cursor', 'invalid_cursor')]);
    });

    it.each([
      ['isActive', 'yes'],
      ['isActive', 'TRUE'],
      ['isDefault', '1'],
    ])('never coerces %s=%s', async (name, value) => {
      await expect422(`?${name}=${value}`, [{ loc: ['query', name], msg: 'Input should be true or false', type: 'bool_parsing' }]);
    });

    it('refuses an unknown parameter', async () => {
      await expect422('?colour=blue', [{ loc: ['query', 'colour'], msg: 'Unknown query parameter', type: 'extra_forbidden' }]);
    });

    it('refuses a parameter given twice', async () => {
      await expect422('?limit=1&limit=2', [{ loc: ['query', 'limit'], msg: 'Give this parameter once', type: 'multiple_values' }]);
    });

    it('refuses a q over 255 characters', async () => {
      await expect422(`?q=${'x'.repeat(256)}`, [{ loc: ['query', 'q'], msg: 'At most 255 characters', type: 'string_too_long' }]);
    });

    it('refuses more than 10 metadata filters', async () => {
      const query = Array.from({ length: 11 }, (_, i) => `metadata[k${i}]=v`).join('&');
      await expect422(`?${query}`, [{ loc: ['query', 'metadata'], msg: 'At most 10 metadata filters', type: 'too_many_filters' }]);
    });

    it('refuses a NUL in a filter before PostgreSQL sees it', async () => {
      await expect422('?q=a%00b', [{ loc: ['query', 'q'], msg: 'Must not contain NUL characters', type: 'string_unicode' }]);
    });

    it('lists every problem at once', async () => {
      await expect422('?limit=0&order=up&isActive=maybe&cursor=%21&extra=1', [
        entry('isActive', 'bool_parsing'),
        entry('limit', 'limit_out_of_range'),
        entry('order', 'enum'),
        entry('cursor', 'invalid_cursor'),
        entry('extra', 'extra_forbidden'),
      ]);
    });
  });

  describe('401 and 403', () => {
    it('refuses a request without a key', async () => {
      const answer = await call(t.baseUrl, 'GET', '/v1/agents');
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toMatchObject({ detail: 'Missing or malformed API key: send Authorization: Bearer <key>', code: 'unauthorized' });
    });

    it('refuses a key without agents:read', async () => {
      const writer = await t.tenants.create({ scopes: ['agents:write'] });
      const answer = await list(writer);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ detail: 'This API key lacks the scope agents:read', code: 'insufficient_scope' });
    });

    it('answers 403 before judging the query', async () => {
      const writer = await t.tenants.create({ scopes: ['agents:write'] });
      const answer = await list(writer, '?limit=0');
      expect(answer.status).toBe(403);
    });
  });
});
