// Development on 127.0.0.1: the README says http://localhost:3000, and WEB_URL says so too, but a
// person who opens http://127.0.0.1:3000 must be able to sign up, use the security page and sign
// out. The browser sends Origin http://127.0.0.1:<port>; the API (outside production) accepts the
// loopback spellings of WEB_URL's origin.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { launchBrowser, newContext, registerViaForm, screenshot, settle, openFromAccountMenu, signOutViaMenu } from './helpers/browser.js';
import { ensureWebBuild } from './helpers/build.js';
import { freePort, startWebServer, type WebServer } from './helpers/stack.js';

describe('web: opened at 127.0.0.1 while WEB_URL names localhost', { timeout: 120_000 }, () => {
  let api: TestServer;
  let web: WebServer | undefined;
  let browser: Browser;
  let openedAt: string;

  beforeAll(async () => {
    await ensureWebBuild();
    const port = await freePort();
    openedAt = `http://127.0.0.1:${port}`;
    // As `npm start` runs it: WEB_URL (and so CORS_ORIGINS) on localhost, the API behind the web proxy.
    [api, browser] = await Promise.all([startServer({ WEB_URL: `http://localhost:${port}`, TRUST_PROXY: 'loopback', RATE_LIMITS: 'off' }), launchBrowser()]);
    web = await startWebServer({ apiUrl: api.url, port });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await api?.close();
  });

  it('signs up, shows the security page without a refusal, and signs out', async () => {
    const context = await newContext(browser, openedAt);
    const page = await context.newPage();
    const refused: string[] = [];
    context.on('response', (response) => {
      if (response.status() === 403) refused.push(`${response.request().method()} ${new URL(response.url()).pathname}`);
    });

    await registerViaForm(page, { displayName: 'Loopback Lee' });
    expect(new URL(page.url()).origin).toBe(openedAt);

    await openFromAccountMenu(page, 'Security');
    await page.waitForURL('**/settings/security');
    await expect.poll(() => page.getByTestId('session-row').count(), { timeout: 15_000 }).toBe(1);
    await settle(page);
    expect(await page.content()).not.toContain('did not come from this site');
    await screenshot(page, 'loopback-origin-security');

    await signOutViaMenu(page);
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).origin).toBe(openedAt);
    // Signed out for real: the server ended the session, so a signed-in page sends back to sign-in.
    await page.goto('/dashboard');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await api.query(`select 1 from sessions where revoked_at is null`)).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  });
});
