import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Tenant } from '../support/tenants.js';
import { chromiumPath, openBrowser, screenshotOnFailure, type BrowserSession } from './chromium.js';

type Json = any;

/** One operation's block of Swagger UI, found by its tag and operationId. */
function operation(page: Page, tag: string, operationId: string): Locator {
  return page.locator(`#operations-${tag}-${operationId}`);
}

/** Opens the operation and presses "Try it out". */
async function tryItOut(block: Locator): Promise<void> {
  await block.locator('.opblock-summary-control').click();
  const tryOut = block.locator('.try-out__btn');
  await tryOut.click();
  await block.locator('.try-out__btn.cancel').waitFor();
  expect(await tryOut.textContent()).toBe('Cancel');
}

/** Presses Execute and reads the live "Server response": its status, body and request URL. */
async function execute(block: Locator): Promise<{ status: string; body: Json; requestUrl: string; curl: string }> {
  await block.locator('button.execute').click();
  // The live table's header cell has the class response-col_status too: its one body row.
  const live = block.locator('.live-responses-table tbody tr.response');
  await live.waitFor();
  return {
    status: ((await live.locator('.response-col_status').textContent()) ?? '').trim(),
    body: JSON.parse((await live.locator('.highlight-code code').textContent()) ?? ''),
    requestUrl: ((await block.locator('.request-url pre').textContent()) ?? '').trim(),
    curl: (await block.locator('.curl-command').textContent()) ?? '',
  };
}

describe('Swagger UI at /docs, in Chromium', () => {
  let t: TestApp | undefined;
  let browser: BrowserSession | undefined;
  let document: Json;
  let example: Json;
  let tenant: Tenant;

  beforeAll(async () => {
    chromiumPath(); // fails the suite, naming `apt-get install chromium`, when there is no Chromium
    t = await startTestApp();
    document = await (await fetch(`${t.baseUrl}/openapi.json`)).json();
    example = Object.values<Json>(document.paths['/v1/agents'].post.requestBody.content['application/json'].examples)[0].value;
    // The documented example must work with any ordinary key: it names no other user (user_id),
    // which only an internal key may do.
    expect(example.user_id).toBeUndefined();
    tenant = await t.tenants.create({ tier: 'free', scopes: ['agents:read', 'agents:write'] });
    browser = await openBrowser(t.baseUrl);
  }, 45_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 20_000);

  it('authorizes with an API key, creates the documented example agent and reads it back', async () => {
    const { page } = browser!;
    const app = t!;
    await screenshotOnFailure(page, async () => {
      await page.goto(`${app.baseUrl}/docs`);
      const create = operation(page, 'Agents', 'createAgent');
      await create.waitFor();

      // Authorize: the bearer scheme, with the key.
      await page.locator('.scheme-container button.authorize').click();
      // (Once authorized, the form shows "Authorized" and a masked value instead of the input.)
      const bearer = page.locator('.auth-container').filter({ has: page.locator('h4 code', { hasText: /^bearer$/ }) });
      await bearer.locator('#auth-bearer-value').fill(tenant.token);
      await bearer.locator('button.authorize').click();
      await bearer.locator('h6', { hasText: 'Authorized' }).waitFor();
      await bearer.locator('button.btn-done').click();
      await page.locator('.modal-ux').waitFor({ state: 'detached' });
      await page.locator('.scheme-container button.authorize.locked').waitFor();

      // POST /v1/agents with the documented example, untouched.
      await tryItOut(create);
      const editor = create.locator('textarea.body-param__text');
      expect(JSON.parse(await editor.inputValue())).toEqual(example);
      const created = await execute(create);
      expect(created.requestUrl).toBe(`${app.baseUrl}/v1/agents`);
      expect(created.curl).toContain(`Authorization: Bearer ${tenant.token}`);
      expect(created.status).toBe('201');
      const id: string = created.body.agent.id;
      expect(id).toEqual(example.id ?? expect.any(String));
      expect(created.body.agent).toMatchObject({ name: example.name, model: example.model, projectId: tenant.projectId, userId: tenant.userId });
      const rows = await app.dataSource.query('SELECT name FROM agents WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL', [tenant.projectId, id]);
      expect(rows).toEqual([{ name: example.name }]);

      // GET /v1/agents/{id} with that id, in the same page.
      const get = operation(page, 'Agents', 'getAgent');
      await tryItOut(get);
      await get.locator('tr[data-param-name="id"][data-param-in="path"] input').fill(id);
      const read = await execute(get);
      expect(read.requestUrl).toBe(`${app.baseUrl}/v1/agents/${encodeURIComponent(id)}`);
      expect(read.status).toBe('200');
      expect(read.body.agent.id).toBe(id);
      expect(read.body).toEqual(created.body);

      // Nothing broke on the way (a CSP refusal shows up as a console error) and nothing left 127.0.0.1.
      expect(browser!.problems).toEqual([]);
      expect(browser!.offOrigin).toEqual([]);
    });
  }, 60_000);
});
