// The polished sign-in, at desktop and phone sizes: the code step (whose account, a way back,
// one 6-digit field that takes a paste and submits itself, the error said once), why a session
// ended, show/hide, tab order, the account menu and the viewer's own date format.
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { codeAt } from '@portcullis/testing/totp';
import { checkBothSchemes } from './helpers/axe.js';
import { countRequests, loginViaForm, openAccountMenu, screenshot, settle } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const test = stackTest({ RATE_LIMITS: 'off' });

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

async function mfaAccount(apiUrl: string, displayName: string) {
  const account = await registerUser(apiUrl, { displayName });
  const setup = await request(apiUrl, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(account.accessToken), body: {} });
  const enabled = await request(apiUrl, 'POST', '/api/auth/mfa/totp/enable', {
    headers: bearer(account.accessToken),
    body: { code: codeAt(setup.body.secret, Date.now()) },
  });
  expect(enabled.status).toBe(200);
  return { ...account, secret: setup.body.secret as string };
}

/** How many times a text appears in the page's visible text. */
async function occurrences(page: Page, text: string): Promise<number> {
  const body = await page.locator('body').innerText();
  return body.split(text).length - 1;
}

describe('web: the sign-in experience', () => {
  test.beforeAll(startStackAndBrowser);

  for (const size of SIZES) {
    test(`the code step (${size.name}): the account, Not you?, Back, the error once, a pasted code signs in by itself`, async ({ stack, page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const account = await mfaAccount(stack.api.url, `Code Step ${size.name}`);
      await loginViaForm(page, account);
      const codeField = page.getByLabel('Authentication code');
      await codeField.waitFor();
      expect(await page.getByTestId('mfa-account').innerText()).toContain(account.email);
      expect(await page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
      expect(await checkBothSchemes(page, `code step @${size.name}`)).toEqual([]);
      await screenshot(page, `signin-${size.name}-code-step`);

      // Back keeps the address; Not you? forgets it.
      await page.getByRole('button', { name: 'Back' }).click();
      expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(account.email);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
      await page.getByLabel('Password', { exact: true }).fill(account.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await codeField.waitFor();
      await page.getByRole('button', { name: 'Not you?' }).click();
      expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe('');
      await loginViaForm(page, account);
      await codeField.waitFor();

      // A wrong code (typed: it submits at the sixth digit) is said once and marks the field.
      const wrong = codeAt(account.secret, Date.now()) === '000000' ? '111111' : '000000';
      await codeField.pressSequentially(wrong);
      await expect.poll(() => page.locator('form [role=alert]').innerText()).toMatch(/not (right|valid)/);
      const message = (await page.locator('form [role=alert]').innerText()).trim();
      expect(await occurrences(page, message)).toBe(1);
      expect(await codeField.getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, `signin-${size.name}-code-wrong`);

      // A pasted code with a space becomes six digits and signs in with no click.
      await codeField.focus();
      const next = codeAt(account.secret, Date.now() + 30_000);
      await page.keyboard.insertText(`${next.slice(0, 3)} ${next.slice(3)}`);
      await page.waitForURL('**/dashboard');
    });
  }

  test('a session ended elsewhere is explained on the sign-in page (signed out everywhere, password changed)', async ({ stack, context, page }) => {
    const account = await registerUser(stack.api.url, { displayName: 'Reason Person' });
    // A slow device (as a busy CI machine is): the dashboard's scripts run well after its last
    // download, so its silent refresh starts after 'networkidle'. Were it still to come when the
    // session ends elsewhere, its refusal would clear the cookie the next page load needs to be
    // told why (CI saw this); settle() must wait for it.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    const refreshes = countRequests(context, '/api/auth/refresh');
    await loginViaForm(page, account);
    await page.waitForURL('**/dashboard');
    // The page can look quiet (idle, nothing in flight) before its scripts have run and made that
    // refresh: a busy CI machine with the CPU throttled saw none yet after settle(). Wait for it.
    await expect.poll(() => refreshes.statuses, { timeout: 60_000 }).toEqual([200]);
    await settle(page);
    expect(refreshes.statuses).toEqual([200]);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

    // Another device signs out everywhere: the next page says so.
    const other = await request(stack.api.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    expect((await request(stack.api.url, 'POST', '/api/auth/logout-all', { headers: bearer(other.body.accessToken) })).status).toBe(204);
    await page.goto('/settings/security');
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('reason') === 'signed_out_everywhere');
    expect(await page.locator('main').innerText()).toContain('You signed out on every device');
    await screenshot(page, 'signin-reason-everywhere');

    // Signed in again; the password is changed on another device: the open page ends up explaining it.
    const earlier = refreshes.statuses.length;
    await loginViaForm(page, account, '%2Fsettings%2Fsecurity');
    await page.waitForURL('**/settings/security');
    await expect.poll(() => refreshes.statuses.slice(earlier), { timeout: 60_000 }).toContain(200);
    await settle(page);
    const third = await request(stack.api.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    const changed = await request(stack.api.url, 'POST', '/api/auth/password/change', {
      headers: bearer(third.body.accessToken),
      body: { currentPassword: STRONG_PASSWORD, newPassword: 'Changed-Elsewhere-5' },
    });
    expect(changed.status).toBe(204);
    await page.goto('/dashboard');
    await page.waitForURL((url) => url.searchParams.get('reason') === 'password_changed');
    expect(await page.locator('main').innerText()).toContain('Your password was changed on another device');
  });

  test('show/hide on the password, and "Forgot password?" after it in tab order', async ({ page }) => {
    await page.goto('/login');
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('Secret-Words-1');
    expect(await password.getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Show Password' }).click();
    expect(await password.getAttribute('type')).toBe('text');
    expect(await password.getAttribute('autocomplete')).toBe('current-password');
    await page.getByRole('button', { name: 'Hide Password' }).click();
    expect(await password.getAttribute('type')).toBe('password');

    await page.getByLabel('Email', { exact: true }).focus();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent?.trim() ?? ''));
    }
    expect(order).toEqual(['password', 'Show Password', 'Forgot password?']);
  });

  for (const size of SIZES) {
    test(`the account menu (${size.name}): name, email, profile, security, sign out`, async ({ stack, page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const account = await registerUser(stack.api.url, { displayName: 'Menu Person' });
      await loginViaForm(page, account);
      await page.waitForURL('**/dashboard');
      await openAccountMenu(page);
      const panel = page.locator('header').locator('[id]:not([hidden])').filter({ hasText: account.email });
      expect(await panel.innerText()).toContain('Menu Person');
      await screenshot(page, `menu-${size.name}`);
      await page.keyboard.press('Escape');
      expect(await page.getByRole('button', { name: /^Account menu for / }).getAttribute('aria-expanded')).toBe('false');
      await openAccountMenu(page);
      await page.locator('header').getByRole('link', { name: 'Security', exact: true }).click();
      await page.waitForURL('**/settings/security');
      await openAccountMenu(page);
      await page.locator('header').getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/login');
    });
  }

  test("dates in the viewer's time zone and locale", async ({ browser, stack }) => {
    const context = await browser.newContext({ baseURL: stack.webUrl, locale: 'de-DE', timezoneId: 'Pacific/Kiritimati' });
    try {
      const page = await context.newPage();
      const account = await registerUser(stack.api.url, { displayName: 'Zeit Person' });
      await loginViaForm(page, account);
      await page.waitForURL('**/dashboard');
      await settle(page);
      const createdAt = new Date(account.user.createdAt as string);
      // Kiritimati is UTC+14: the German long date there.
      const expected = new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Pacific/Kiritimati' }).format(createdAt);
      await expect.poll(() => page.locator('main time').first().innerText()).toBe(expected);
      expect(await page.locator('html').getAttribute('lang')).toBe('en'); // strings: English is the only shipped translation
    } finally {
      await context.close();
    }
  });
});
