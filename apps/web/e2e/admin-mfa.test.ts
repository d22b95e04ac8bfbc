// ADMIN_REQUIRE_MFA in the browser: an admin signed in with a password only gets a 403 page that
// says how to get in; after turning on two-step verification and signing in with a code, the admin pages open.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, request } from '../../api/test/helpers/http.js';
import { codeAt } from '../../api/test/helpers/totp.js';
import { launchBrowser, loginViaForm, newContext, screenshot } from './helpers/browser.js';
import { startStack, type Stack } from './helpers/stack.js';

const ADMIN = { email: 'mfa.admin@example.com', password: 'Web-Admin-Pass-1!' };

describe('web: admin pages with ADMIN_REQUIRE_MFA=true', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ RATE_LIMITS: 'off', ADMIN_REQUIRE_MFA: 'true', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password }),
      launchBrowser(),
    ]);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('explains the 403 to a password-only admin, and opens after a sign-in with a code', { timeout: 60_000 }, async () => {
    const context = await newContext(browser, stack.webUrl);
    const page = await context.newPage();
    await loginViaForm(page, ADMIN);
    await page.waitForURL('**/dashboard');

    const refused = await page.goto('/admin/users');
    expect(refused!.status()).toBe(403);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toContain('two-step verification');
    expect(await page.locator('main, body').first().innerText()).toContain('Settings → Security');
    expect(await page.getByRole('link', { name: 'Go to Security settings' }).getAttribute('href')).toBe('/settings/security');
    expect(await refused!.text()).not.toContain('Search by email or name');
    await screenshot(page, 'admin-needs-mfa');

    // Two-step verification on (through the API, as the settings page would), then a new sign-in with a code.
    const login = await request(stack.api.url, 'POST', '/api/auth/login', { body: ADMIN });
    const setup = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(login.body.accessToken), body: {} });
    const enabled = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/enable', { headers: bearer(login.body.accessToken), body: { code: codeAt(setup.body.secret, Date.now()) } });
    expect(enabled.status).toBe(200);
    await page.goto('/dashboard');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await loginViaForm(page, ADMIN);
    await page.getByLabel('Authentication code').fill(codeAt(setup.body.secret, Date.now() + 30_000));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/dashboard');

    const allowed = await page.goto('/admin/users');
    expect(allowed!.status()).toBe(200);
    await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).toContain(ADMIN.email);
    await context.close();
  });
});
