// ADMIN_REQUIRE_MFA in the browser: an admin signed in with a password only gets a 403 page that
// says how to get in; after turning on two-step verification and signing in with a code, the admin pages open.
// There an admin resets another user's two-step verification, after a confirmation.
import { describe, expect } from 'vitest';
import { bearer, request } from '@portcullis/testing/http';
import { codeAt } from '@portcullis/testing/totp';
import { loginViaForm, screenshot, signOutViaMenu } from './helpers/browser.js';
import { offeredActions, pickAction } from './helpers/admin.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const ADMIN = { email: 'mfa.admin@example.com', password: 'Web-Admin-Pass-1!' };

const test = stackTest({
  RATE_LIMITS: 'off',
  ADMIN_REQUIRE_MFA: 'true',
  ALLOW_BOOTSTRAP: 'true',
  BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
});

describe('web: admin pages with ADMIN_REQUIRE_MFA=true', () => {
  let adminRecoveryCodes: string[] = [];

  test.beforeAll(startStackAndBrowser, 600_000);

  test('explains the 403 to a password-only admin, and opens after a sign-in with a code', async ({ stack, page }) => {
    await loginViaForm(page, ADMIN);
    await page.waitForURL('**/dashboard');

    const refused = await page.goto('/admin/users');
    expect(refused!.status()).toBe(403);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('two-step verification');
    expect(await page.locator('main, body').first().innerText()).toContain('Settings → Security');
    expect(await page.getByRole('link', { name: 'Go to Security settings' }).getAttribute('href')).toBe('/settings/security');
    expect(await refused!.text()).not.toContain('Search by email or name');
    await screenshot(page, 'admin-needs-mfa');

    // Two-step verification on (through the API, as the settings page would), then a new sign-in with a code.
    const login = await request(stack.api.url, 'POST', '/api/auth/login', { body: ADMIN });
    const setup = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(login.body.accessToken), body: {} });
    const enabled = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/enable', {
      headers: bearer(login.body.accessToken),
      body: { code: codeAt(setup.body.secret, Date.now()) },
    });
    expect(enabled.status).toBe(200);
    adminRecoveryCodes = enabled.body.recoveryCodes;
    await page.goto('/dashboard');
    await signOutViaMenu(page);
    await page.waitForURL((url) => url.pathname === '/login');
    await loginViaForm(page, ADMIN);
    await page.getByLabel('Authentication code').fill(codeAt(setup.body.secret, Date.now() + 30_000)); // six digits submit by themselves
    await page.waitForURL('**/dashboard');

    const allowed = await page.goto('/admin/users');
    expect(allowed!.status()).toBe(200);
    await expect.poll(() => page.locator('main').innerText()).toContain(ADMIN.email);
  });

  test("an admin resets a user's two-step verification from the users page, after confirming; audited and mailed", async ({ stack, page }) => {
    // A user with two-step verification on (through the API).
    const email = `mfa.lost.${Date.now()}@example.com`;
    const registered = await request(stack.api.url, 'POST', '/api/auth/register', {
      body: { email, password: 'Lost-Phone-Pass-1', displayName: 'Lost Phone' },
    });
    const auth = bearer(registered.body.accessToken);
    const setup = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: auth, body: {} });
    expect(
      (await request(stack.api.url, 'POST', '/api/auth/mfa/totp/enable', { headers: auth, body: { code: codeAt(setup.body.secret, Date.now()) } })).status,
    ).toBe(200);

    // The admin signs in with a recovery code (their TOTP codes of this minute are spent).
    await loginViaForm(page, ADMIN);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(adminRecoveryCodes[0]!);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/dashboard');

    await page.goto(`/admin/users?query=${encodeURIComponent(email)}`);
    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await pickAction(row, email, 'Reset two-step');
    const confirm = row.getByRole('form', { name: 'Confirm' });
    await expect.poll(() => confirm.innerText()).toContain('recovery codes stop working');
    await screenshot(page, 'admin-reset-mfa-confirm');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('two-step verification has been reset');

    const userId = registered.body.user.id as string;
    expect(await stack.api.query(`select 1 from totp_credentials where user_id = '${userId}'`)).toHaveLength(0);
    const [event] = await stack.api.query<{ actor_id: string }>(`select actor_id from audit_events where user_id = '${userId}' and type = 'mfa.reset'`);
    const [admin] = await stack.api.query<{ id: string }>(`select id from users where email = '${ADMIN.email}'`);
    expect(event!.actor_id).toBe(admin!.id);
    expect(
      await stack.api.query(`select 1 from mail_messages where "to" = '${email}' and subject = 'Two-step verification was reset on your account'`),
    ).toHaveLength(1);
    // The action is gone with the factor.
    expect(await offeredActions(row, email)).not.toContain('Reset two-step');
  });
});
