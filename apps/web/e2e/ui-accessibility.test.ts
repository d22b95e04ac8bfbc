// axe-core on every page state, in light and dark, at desktop and phone sizes: zero serious or
// critical violations. Screenshots of each state land in test-results/web (CI keeps them).
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { registerUser } from '@portcullis/testing/http';
import { checkBothSchemes, seriousViolations } from './helpers/axe.js';
import { loginViaForm, openAccountMenu, registerViaForm, screenshot, settle } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';
import { freePort, startWebServer } from './helpers/stack.js';

const ADMIN = { email: 'a11y.admin@example.com', password: 'Web-Admin-Pass-1!' };
const test = stackTest({ RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

const GUEST_PAGES = [
  '/',
  '/login',
  '/login?reason=password_changed',
  '/login?reason=locked',
  '/register',
  '/forgot-password',
  '/reset-password?token=not-a-real-token',
  '/no-such-page',
];
const SIGNED_IN_PAGES = ['/dashboard', '/projects', '/settings/profile', '/settings/security'];
const ADMIN_PAGES = ['/admin/users', '/admin/audit'];

/** Opens each path at each size and collects axe's serious and critical findings in both schemes. */
async function audit(page: Page, paths: string[], who: string, extra?: (page: Page, size: string) => Promise<string[]>): Promise<string[]> {
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const path of paths) {
      await page.goto(path);
      await settle(page);
      await page.locator('main').first().waitFor();
      found.push(...(await checkBothSchemes(page, `${who} ${path} @${size.name}`)));
      await screenshot(page, `a11y-${size.name}-${who}${path.replace(/[^a-z0-9]+/gi, '-')}`);
    }
    if (extra) found.push(...(await extra(page, size.name)));
  }
  return found;
}

describe('web: accessibility (axe-core, light and dark, desktop and phone)', () => {
  test.beforeAll(startStackAndBrowser);

  test('signed-out pages and the sign-in code step', async ({ stack, page }) => {
    const account = await registerUser(stack.api.url, { displayName: 'Axe Person' });
    const found = await audit(page, GUEST_PAGES, 'guest', async (p, size) => {
      // A failed sign-in (the form's error state).
      await p.goto('/login');
      await loginViaForm(p, { email: account.email, password: 'Wrong-Password-1' });
      await p.locator('form [role=alert]').filter({ hasText: /./ }).waitFor();
      const states = await checkBothSchemes(p, `guest /login error @${size}`);
      await screenshot(p, `a11y-${size}-login-error`);
      return states;
    });
    expect(found).toEqual([]);
  }, 900_000);

  test('signed-in pages, with the account menu open', async ({ page }) => {
    await registerViaForm(page, { displayName: 'Axe Signed In' });
    const found = await audit(page, SIGNED_IN_PAGES, 'user', async (p, size) => {
      await p.goto('/dashboard');
      await settle(p);
      await openAccountMenu(p);
      const states = await checkBothSchemes(p, `user account menu @${size}`);
      await screenshot(p, `a11y-${size}-account-menu`);
      return states;
    });
    expect(found).toEqual([]);
  }, 900_000);

  test('admin pages', async ({ page }) => {
    await loginViaForm(page, ADMIN);
    await page.waitForURL('**/dashboard');
    expect(await audit(page, ADMIN_PAGES, 'admin')).toEqual([]);
  }, 600_000);

  test('the dark theme chosen in the header (not the system setting) is clean too', async ({ page }) => {
    await page.goto('/login');
    await settle(page);
    await page.getByRole('button', { name: /^Colour theme: System/ }).click(); // → light
    await page.getByRole('button', { name: /^Colour theme: Light/ }).click(); // → dark
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect((await page.context().cookies()).find((c) => c.name === 'theme')?.value).toBe('dark');
    // The server renders the chosen theme from the first byte (no flash of the other one).
    expect(await (await page.request.get('/login')).text()).toContain('data-theme="dark"');
    await page.reload();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await seriousViolations(page, 'guest /login [chosen dark]')).toEqual([]);
    await screenshot(page, 'a11y-login-chosen-dark');
  });

  test('the check can fail: a low-contrast text on the page is reported, on the second look too', async ({ page }) => {
    await page.goto('/login');
    await settle(page);
    await page.evaluate(() => {
      const faint = document.createElement('p');
      faint.id = 'faint';
      faint.textContent = 'Barely readable';
      faint.style.cssText = 'color: #f2f2f2; background: #ffffff';
      document.querySelector('main')!.append(faint);
    });
    const found = await seriousViolations(page, 'guest /login [faint text]');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('color-contrast');
    expect(found[0]).toContain('#faint');
  });

  test('the 503 page (the API cannot be asked) has a language, a main landmark, style and a retry', async ({ browser }) => {
    const web = await startWebServer({ apiUrl: `http://127.0.0.1:${await freePort()}` });
    const context = await browser.newContext({ baseURL: web.url });
    try {
      await context.addCookies([{ name: 'portcullis_session', value: 'some-id.some-signature', url: web.url }]);
      const page = await context.newPage();
      const res = await page.goto('/dashboard');
      expect(res!.status()).toBe(503);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await page.getByRole('main').count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Try again' }).getAttribute('href')).toBe('/dashboard');
      expect(await checkBothSchemes(page, '503')).toEqual([]);
      await screenshot(page, 'a11y-503');
    } finally {
      await context.close();
      await web.close();
    }
  });
});
