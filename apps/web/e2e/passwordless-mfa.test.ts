// An account without a password (as an OAuth sign-in makes) manages MFA in Chromium: no password
// field, the fresh sign-in rule explained, and "Sign in again" once the sign-in is too old.
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { registerViaForm, screenshot } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';
import { codeAt } from '@portcullis/testing/totp';
import { storedMail } from '@portcullis/testing/mail';

const test = stackTest({ RATE_LIMITS: 'off' });

describe('web: MFA for an account without a password', () => {
  test.beforeAll(startStackAndBrowser, 600_000);

  const text = (page: Page) => page.locator('main, body').first().innerText();

  test('new recovery codes without a password; turning MFA off after 10 minutes offers "Sign in again"', async ({ stack, page }) => {
    const { email, password } = await registerViaForm(page, { displayName: 'Mary Jackson' });

    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secretEl = page.getByTestId('totp-secret');
    await expect.poll(() => secretEl.isVisible()).toBe(true);
    const secret = (await secretEl.innerText()).trim();
    const enabledAt = Date.now();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, enabledAt));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'I’ve saved them' }).click();
    await expect.poll(() => page.getByTestId('mfa-status').innerText()).toContain('On');

    // From here on the account has no password, as one made by a provider sign-in.
    await stack.api.query(`update users set password_hash = null where email = '${email}'`);

    await page.getByRole('button', { name: 'Generate new recovery codes…' }).click();
    const regenerate = page.getByRole('form', { name: 'Generate new recovery codes' });
    await expect.poll(() => regenerate.innerText()).toContain('Your account has no password');
    expect(await regenerate.getByLabel('Password', { exact: true }).count()).toBe(0);
    await regenerate.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, enabledAt + 30_000));
    await regenerate.getByRole('button', { name: 'Generate new codes' }).click();
    await expect.poll(() => text(page)).toContain('New recovery codes are ready');
    const codes = (await page.getByTestId('recovery-codes').locator('li').allInnerTexts()).map((c) => c.trim());
    await page.getByRole('button', { name: 'I’ve saved them' }).click();

    // Signed in 11 minutes ago: the API wants a fresh sign-in, and the form offers one.
    await stack.api.query(`update sessions set created_at = now() - interval '11 minutes' where user_id = (select id from users where email = '${email}')`);
    await page.getByRole('button', { name: 'Turn off…' }).click();
    const disable = page.getByRole('form', { name: 'Turn off two-step verification' });
    await expect.poll(() => disable.innerText()).toContain('Your account has no password');
    expect(await disable.getByLabel('Password', { exact: true }).count()).toBe(0);
    await disable.getByLabel('Code from the app, or a recovery code').fill(codes[0]!);
    await disable.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await expect.poll(() => disable.getByRole('alert').innerText()).toMatch(/sign in again/i);
    await screenshot(page, 'mfa-disable-sign-in-again');
    await disable.getByRole('button', { name: 'Sign in again' }).click();
    await page.waitForURL('**/login?redirect=%2Fsettings%2Fsecurity');
    expect(
      await stack.api.query(`select 1 from totp_credentials where enabled_at is not null and user_id = (select id from users where email = '${email}')`),
    ).toHaveLength(1);
  });

  test('turning MFA on without a password: within 10 minutes of signing in it works, later the form offers "Sign in again"', async ({ stack, page }) => {
    const { email } = await registerViaForm(page, { displayName: 'Annie Easley' });
    await stack.api.query(`update users set password_hash = null where email = '${email}'`);
    const signedInMinutesAgo = (minutes: number) =>
      stack.api.query(`update sessions set created_at = now() - interval '${minutes} minutes' where user_id = (select id from users where email = '${email}')`);

    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const enable = page.getByRole('form', { name: 'Turn on two-step verification' });
    await expect.poll(() => enable.innerText()).toContain('Your account has no password');
    expect(await enable.getByLabel('Password', { exact: true }).count()).toBe(0);
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();

    // A session signed in 11 minutes ago (a stolen one, say) cannot enrol an authenticator.
    await signedInMinutesAgo(11);
    await enable.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, Date.now()));
    await enable.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => enable.getByRole('alert').innerText()).toMatch(/sign in again/i);
    expect(await enable.getByRole('button', { name: 'Sign in again' }).count()).toBe(1);
    await screenshot(page, 'mfa-enable-sign-in-again');
    expect(
      await stack.api.query(`select 1 from totp_credentials where enabled_at is not null and user_id = (select id from users where email = '${email}')`),
    ).toHaveLength(0);

    // Signed in just now: it works.
    await signedInMinutesAgo(0);
    await enable.getByLabel('Code from the app', { exact: true }).fill(codeAt(secret, Date.now()));
    await enable.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').isVisible()).toBe(true);
  });

  test('the password card offers to set a password by mail instead of asking for a current one', async ({ stack, page }) => {
    const { email } = await registerViaForm(page, { displayName: 'Dorothy Vaughan' });
    await stack.api.query(`update users set password_hash = null where email = '${email}'`);
    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Email me a link to set a password' }).click();
    await expect.poll(() => text(page)).toContain('A link to choose a password is on its way');
    expect(await page.getByLabel('Current password').count()).toBe(0);
    await expect.poll(async () => (await storedMail(stack.api, email)).filter((m) => m.text.includes('/reset-password?token=')).length).toBe(1);
  });
});
