import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where the browser tests leave their screenshots: test-output/swagger-ui/ at the repository root. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-output/swagger-ui/', import.meta.url));

// Headless Debian Chromium in a container on a closed network: no sandbox, no GPU, and none of the
// background traffic (updates, sync, field trials) that would otherwise hang or fail the start.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium: CHROMIUM_PATH, else /usr/bin/chromium; an error naming the package when absent. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium executable at ${path}: the browser tests need Debian's Chromium ` +
        '(`apt-get install chromium`), or CHROMIUM_PATH set to a Chromium binary.',
    );
  }
  return path;
}

export interface BrowserSession {
  readonly page: Page;
  /** Requests the page tried to send anywhere but the service under test (aborted). */
  readonly offOrigin: string[];
  /** Uncaught page errors and console errors, in order. */
  readonly problems: string[];
  close(): Promise<void>;
}

/**
 * A fresh headless Chromium profile whose page may only talk to `origin`: any other http(s)
 * request is aborted and recorded, so a test can assert the page stayed on 127.0.0.1.
 */
export async function openBrowser(origin: string): Promise<BrowserSession> {
  const executablePath = chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'agents-api-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 20_000,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const offOrigin: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol.startsWith('http') && url.origin !== origin) {
      offOrigin.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return {
    page,
    offOrigin,
    problems,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a test's steps; when one fails, saves a full-page screenshot named after the test under
 * SCREENSHOT_DIR, adds its path to the error and rethrows.
 */
export async function screenshotOnFailure(page: Page, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (error) {
    const name = (expect.getState().currentTestName ?? 'unnamed test').replace(/[^A-Za-z0-9._-]+/g, ' ').trim();
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    try {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path, fullPage: true, timeout: 10_000 });
      if (error instanceof Error) error.message += `\n\nScreenshot of the page: ${path}`;
    } catch (screenshotError) {
      if (error instanceof Error) error.message += `\n\nNo screenshot (${String(screenshotError)})`;
    }
    throw error;
  }
}
