// Account lifecycle in Chromium: sign-up with email verification through the dev outbox,
// forgot/reset password from the mailed link, enabling MFA by reading the secret from the page, and
// a new set of recovery codes.
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { loginViaForm, newContext, registerViaForm, screenshot } from './helpers/browser.js';
import { mailedLink } from './helpers/outbox.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';
import { codeAt } from '@portcullis/testing/totp';

// No SMTP_URL: mail goes to the dev outbox only, as on a fresh `npm start`.
const test = stackTest({ RATE_LIMITS: 'off' });

describe('web: account lifecycle', () => {
  test.beforeAll(startStackAndBrowser, 600_000);

  const text = (page: Page) => page.locator('main, body').first().innerText();

  test('sign-up → banner → resend → the mailed link verifies → banner gone', async ({ stack, page }) => {
    const { email } = await registerViaForm(page, { displayName: 'Ada Lovelace' });

    const banner = page.getByRole('region', { name: 'Email verification' });
    await expect.poll(() => banner.isVisible()).toBe(true);
    const first = await mailedLink(stack.webUrl, email, '/verify-email');
    expect(first.startsWith(`${stack.webUrl}/verify-email?token=`)).toBe(true);
    await banner.getByRole('button', { name: 'Resend link' }).click();
    await expect.poll(() => banner.innerText()).toContain('A new link is on its way');
    const second = await mailedLink(stack.webUrl, email, '/verify-email', first);
    await screenshot(page, 'dashboard-unverified');

    await page.goto(second);
    await expect.poll(() => text(page)).toContain('is verified');
    // The token left the address bar.
    expect(new URL(page.url()).search).toBe('');
    await screenshot(page, 'verify-email-done');

    await page.goto('/dashboard');
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Ada Lovelace');
    expect(await banner.count()).toBe(0);

    // Verifying retired the older link as well.
    await page.goto(first);
    await expect.poll(() => text(page)).toContain('invalid, already used or expired');
  });

  test('forgot password from the login page → mailed link → new password → sign in with it', async ({ stack, browser, page }) => {
    const signUp = await newContext(browser, stack.webUrl);
    const { email } = await registerViaForm(await signUp.newPage(), { displayName: 'Alan Turing' });
    await signUp.close();

    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => text(page)).toContain('If an account exists for');
    await screenshot(page, 'forgot-password-sent');

    // The link is checked as the page opens; password managers get the account as the username.
    await page.goto(await mailedLink(stack.webUrl, email, '/reset-password'));
    await page.getByLabel('New password', { exact: true }).waitFor();
    expect(await page.locator('input[autocomplete=username]').inputValue()).toBe(email);
    await page.getByLabel('New password', { exact: true }).fill('Fresh-Password-42');
    await page.getByLabel('Confirm new password').fill('Fresh-Password-42');
    await page.getByRole('button', { name: 'Set new password' }).click();
    // Signed in with the new password straight away.
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Alan Turing');

    // The same link, opened again, is said to be dead at once (before any typing).
    const used = await mailedLink(stack.webUrl, email, '/reset-password');
    const other = await newContext(browser, stack.webUrl);
    const second = await other.newPage();
    await second.goto(used);
    await expect.poll(() => text(second)).toContain('This reset link is invalid, already used or expired.');
    expect(await second.getByLabel('New password', { exact: true }).count()).toBe(0);
    await other.close();
  });

  test('enables MFA from the page (secret read from it, code computed here), then sign-in asks for the code', async ({ stack, browser, page }) => {
    const credentials = await registerViaForm(page, { displayName: 'Katherine Johnson' });

    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secretEl = page.getByTestId('totp-secret');
    await expect.poll(() => secretEl.isVisible()).toBe(true);
    const secret = (await secretEl.innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByRole('img', { name: /QR code/ }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await screenshot(page, 'mfa-setup');

    // Turning it on asks for the password (a stolen session must not enrol someone else's app).
    await page.getByLabel('Code from the app', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => text(page)).toContain('Enter your password.');
    await page.getByLabel('Password', { exact: true }).fill('Not-My-Password-1');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => text(page)).toContain('This is not your password.');
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => text(page)).toContain('That code is not right');

    const enabledAt = Date.now();
    await page.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, enabledAt));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codesList = page.getByTestId('recovery-codes');
    await expect.poll(() => codesList.isVisible()).toBe(true);
    const recoveryCodes = (await codesList.locator('li').allInnerTexts()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await screenshot(page, 'mfa-recovery-codes');
    await page.getByRole('button', { name: 'I’ve saved them' }).click();
    await expect.poll(() => page.getByTestId('mfa-status').innerText()).toContain('On');

    // A new browser: the password is not enough any more.
    const other = await newContext(browser, stack.webUrl);
    const second = await other.newPage();
    await loginViaForm(second, credentials);
    const codeField = second.getByLabel('Authentication code');
    await expect.poll(() => codeField.isVisible()).toBe(true);
    // Six digits submit by themselves.
    await codeField.fill(codeAt(secret, enabledAt + 30_000));
    await second.waitForURL('**/dashboard');
    await other.close();

    // Turn it off with the password and a recovery code (the phone is "lost").
    await page.getByRole('button', { name: 'Turn off…' }).click();
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    await page.getByLabel('Code from the app, or a recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await expect.poll(() => page.getByTestId('mfa-status').innerText()).toContain('Off');
  });

  test('shows the recovery codes left and makes a new set with password and code; the old codes stop working', async ({ stack, page }) => {
    const credentials = await registerViaForm(page, { displayName: 'Grace Hopper' });
    const codesShown = async () => (await page.getByTestId('recovery-codes').locator('li').allInnerTexts()).map((c) => c.trim());

    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secretEl = page.getByTestId('totp-secret');
    await expect.poll(() => secretEl.isVisible()).toBe(true);
    const secret = (await secretEl.innerText()).trim();
    const enabledAt = Date.now();
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    await page.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, enabledAt));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').isVisible()).toBe(true);
    const oldCodes = await codesShown();
    await page.getByRole('button', { name: 'I’ve saved them' }).click();
    const left = page.getByTestId('recovery-codes-left');
    await expect.poll(() => left.textContent()).toContain('10 recovery codes left');

    // All but the first two used (marked in the database, not through eight sign-ins): a warning.
    const hashes = oldCodes.slice(2).map((c) => `'${createHash('sha256').update(c.replaceAll('-', '')).digest('hex')}'`);
    expect(await stack.api.query(`update recovery_codes set used_at = now() where code_hash in (${hashes.join(', ')}) returning id`)).toHaveLength(8);
    await page.reload();
    await expect.poll(() => left.textContent()).toContain('2 recovery codes left. Generate new ones before you run out.');
    await screenshot(page, 'mfa-few-recovery-codes');

    await page.getByRole('button', { name: 'Generate new recovery codes…' }).click();
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    // The code that turned MFA on is spent.
    await page.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, enabledAt));
    await page.getByRole('button', { name: 'Generate new codes' }).click();
    await expect.poll(() => text(page)).toContain('That code is not right');
    await page.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, enabledAt + 30_000));
    await page.getByRole('button', { name: 'Generate new codes' }).click();
    await expect.poll(() => text(page)).toContain('New recovery codes are ready');
    const newCodes = await codesShown();
    expect(newCodes).toHaveLength(10);
    expect(newCodes.filter((c) => oldCodes.includes(c))).toEqual([]);
    await screenshot(page, 'mfa-new-recovery-codes');
    await page.getByRole('button', { name: 'I’ve saved them' }).click();
    await expect.poll(() => left.textContent()).toContain('10 recovery codes left');

    // An old code that was never used no longer turns MFA off; a new one does.
    await page.getByRole('button', { name: 'Turn off…' }).click();
    await page.getByLabel('Password', { exact: true }).fill(credentials.password);
    await page.getByLabel('Code from the app, or a recovery code').fill(oldCodes[0]!);
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await expect.poll(() => text(page)).toContain('That code is not right');
    await page.getByLabel('Code from the app, or a recovery code').fill(newCodes[0]!);
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await expect.poll(() => page.getByTestId('mfa-status').innerText()).toContain('Off');
  });
});
