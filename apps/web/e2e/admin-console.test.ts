// The admin console in Chromium, at desktop and phone sizes (issue 13): invite a user, lock and
// unlock an account with a reason, and the audit log searched by person, type and date, with its
// CSV export. axe-core checks each page state in light and dark mode.
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { checkBothSchemes } from './helpers/axe.js';
import { offeredActions, pickAction } from './helpers/admin.js';
import { loginViaForm, newContext, registerViaForm, screenshot, settle } from './helpers/browser.js';
import { mailedLink } from './helpers/outbox.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const ADMIN = { email: 'console.admin@example.com', password: 'Web-Admin-Pass-1!' };
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Size = keyof typeof SIZES;

const test = stackTest({ RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password }).extend(
  'freshPage',
  async ({ browser, stack }, { onCleanup }) => {
    const contexts: BrowserContext[] = [];
    onCleanup(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
    });
    return async (size: Size = 'desktop'): Promise<Page> => {
      const context = await newContext(browser, stack.webUrl);
      contexts.push(context);
      const page = await context.newPage();
      await page.setViewportSize(SIZES[size]);
      // Colours settle at once when axe switches the scheme: a button's 0.15 s background
      // transition would otherwise be measured halfway (light text on a still-white background).
      await page.emulateMedia({ reducedMotion: 'reduce' });
      return page;
    };
  },
);

async function adminPage(freshPage: (size?: Size) => Promise<Page>, size: Size): Promise<Page> {
  const page = await freshPage(size);
  await loginViaForm(page, ADMIN);
  await page.waitForURL('**/dashboard');
  return page;
}

describe('web: the admin console', () => {
  test.beforeAll(startStackAndBrowser);

  for (const size of ['desktop', 'phone'] as const) {
    test(`${size}: an admin invites a user, who sets a password from the mailed link and signs in`, async ({ stack, freshPage }) => {
      const admin = await adminPage(freshPage, size);
      await admin.goto('/admin/users');
      await admin.getByRole('button', { name: 'Invite a user' }).click();
      const form = admin.getByRole('form', { name: 'Invite a user' });
      const email = `invited.${size}.${Date.now()}@example.com`;
      await form.getByLabel('Name').fill(`Ivy ${size}`);
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Role').selectOption('moderator');
      expect(await checkBothSchemes(admin, `invite form ${size}`)).toEqual([]);
      await form.getByRole('button', { name: 'Send invitation' }).click();
      await admin.getByText(`Invitation sent to ${email}.`).waitFor();
      const row = admin.locator(`[data-testid=user-row][data-email="${email}"]`);
      await expect.poll(() => row.innerText()).toContain('Invited');
      await screenshot(admin, `admin-invite-${size}`);

      const link = await mailedLink(stack.webUrl, email, '/reset-password');
      const invited = await freshPage(size);
      await invited.goto(link);
      await invited.getByLabel('New password', { exact: true }).fill('Invited-Pass-42!');
      await invited.getByLabel('Confirm new password', { exact: true }).fill('Invited-Pass-42!');
      await invited.getByRole('button', { name: 'Set new password' }).click();
      await expect.poll(() => invited.url(), { timeout: 15_000 }).toMatch(/\/(login|dashboard)/);
      if (!invited.url().includes('/dashboard')) {
        await loginViaForm(invited, { email, password: 'Invited-Pass-42!' });
        await invited.waitForURL('**/dashboard');
      }
      const [user] = await stack.api.query<{ role: string; verified: boolean }>(
        `select role, email_verified_at is not null as verified from users where email = '${email}'`,
      );
      expect(user).toEqual({ role: 'moderator', verified: true });
    });

    test(`${size}: lock with a reason signs the person out and keeps them out; unlock lets them back`, async ({ stack, freshPage }) => {
      const person = await freshPage(size);
      const { email, password } = await registerViaForm(person, { displayName: `Lou ${size}` });

      const admin = await adminPage(freshPage, size);
      await admin.goto(`/admin/users?query=${encodeURIComponent(email)}`);
      const row = admin.locator(`[data-testid=user-row][data-email="${email}"]`);
      await row.waitFor();
      expect(await checkBothSchemes(admin, `users ${size}`)).toEqual([]);
      await screenshot(admin, `admin-users-${size}`);
      await pickAction(row, email, 'Lock account');
      const confirm = row.getByRole('form', { name: 'Confirm' });
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await confirm.getByText('Give a reason.').waitFor();
      await confirm.getByLabel('Reason (sent to them)').fill('Card fraud under review');
      expect(await checkBothSchemes(admin, `lock confirm ${size}`)).toEqual([]);
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await admin.getByText(`Lou ${size} is locked and was signed out everywhere.`).waitFor();
      await expect.poll(() => row.innerText()).toContain('Locked');

      // Their open page loses the session at the next navigation, and signing in is refused.
      await person.goto('/dashboard');
      await person.waitForURL('**/login**');
      await loginViaForm(person, { email, password });
      await expect.poll(() => person.locator('main').innerText()).toContain('locked');
      await screenshot(person, `locked-sign-in-${size}`);

      // The user page: status, reason, and the unlock.
      await admin.goto(`/admin/users?query=${encodeURIComponent(email)}`);
      await row.getByRole('link', { name: `Lou ${size}` }).click();
      await admin.waitForURL('**/admin/users/*');
      await expect.poll(() => admin.getByTestId('user-facts').innerText()).toContain('Card fraud under review');
      await expect.poll(() => admin.getByTestId('user-activity').innerText()).toContain('Account locked');
      expect(await checkBothSchemes(admin, `user page ${size}`)).toEqual([]);
      await screenshot(admin, `admin-user-page-${size}`);
      expect(await offeredActions(admin, email)).toContain('Unlock account');
      await pickAction(admin, email, 'Unlock account');
      await admin.getByRole('button', { name: 'Confirm' }).click();
      await admin.getByText(`Lou ${size} is unlocked.`).waitFor();

      await loginViaForm(person, { email, password });
      await person.waitForURL('**/dashboard');
      const mails = await stack.api.query<{ subject: string }>(`select subject from mail_messages where "to" = '${email}' order by created_at`);
      expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining(['Your account was locked', 'Your account was unlocked']));
    });

    test(`${size}: the audit log is searched by person, type and date, shows people and labels, and exports CSV`, async ({ freshPage }) => {
      const person = await freshPage(size);
      const { email } = await registerViaForm(person, { displayName: `Ada Audit ${size}` });
      const admin = await adminPage(freshPage, size);
      await admin.goto('/admin/audit');
      await settle(admin);
      await admin.getByLabel('Person (name or email)').fill(`Ada Audit ${size}`);
      await admin.getByLabel('Type').selectOption('user.registered');
      const today = new Date();
      const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      await admin.getByLabel('From').fill(day);
      await admin.getByLabel('To (inclusive)').fill(day);
      await admin.getByRole('button', { name: 'Apply filters' }).click();
      const rows = admin.getByTestId('audit-row');
      await expect.poll(() => rows.count()).toBe(1);
      const text = await rows.first().innerText();
      expect(text).toContain('Signed up');
      expect(text).toContain(email);
      expect(await checkBothSchemes(admin, `audit ${size}`)).toEqual([]);
      await screenshot(admin, `admin-audit-filtered-${size}`);

      const download = admin.waitForEvent('download');
      await admin.getByRole('button', { name: 'Export CSV' }).click();
      const file = await (await download).path();
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('user.registered');
      expect(lines[1]).toContain(email);

      // A range with nothing in it says so; the earlier rows are gone.
      await admin.getByLabel('From').fill('1900-01-01');
      await admin.getByLabel('To (inclusive)').fill('1900-01-02');
      await admin.getByRole('button', { name: 'Apply filters' }).click();
      await admin.getByText('No events').waitFor();

      // The person's name links to their page.
      await admin.getByRole('button', { name: 'Clear' }).click();
      await admin.getByLabel('Person (name or email)').fill(email);
      await admin.getByRole('button', { name: 'Apply filters' }).click();
      await admin
        .getByRole('link', { name: `Ada Audit ${size}` })
        .first()
        .click();
      await admin.waitForURL('**/admin/users/*');
    });
  }

  /** The admin's page for one user, by email; answers the user's id. */
  async function openUserPage(stack: { api: { query<T>(sql: string): Promise<T[]> } }, admin: Page, email: string): Promise<string> {
    const [row] = await stack.api.query<{ id: string }>(`select id from users where email = '${email}'`);
    await admin.goto(`/admin/users/${row!.id}`);
    await admin.getByTestId('user-facts').waitFor();
    return row!.id;
  }

  test('desktop: an admin resends a pending invitation; the first link stops working', async ({ stack, freshPage }) => {
    const admin = await adminPage(freshPage, 'desktop');
    const userPage = (email: string) => openUserPage(stack, admin, email);

    // A pending invitation: its mail again (not a reset link), and the first link stops working.
    const invitedEmail = `reinvited.${Date.now()}@example.com`;
    await admin.goto('/admin/users');
    await admin.getByRole('button', { name: 'Invite a user' }).click();
    const form = admin.getByRole('form', { name: 'Invite a user' });
    await form.getByLabel('Name').fill('Rhea Resent');
    await form.getByLabel('Email').fill(invitedEmail);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await admin.getByText(`Invitation sent to ${invitedEmail}.`).waitFor();
    const first = await mailedLink(stack.webUrl, invitedEmail, '/reset-password');
    const invitedId = await userPage(invitedEmail);
    const offered = await offeredActions(admin, invitedEmail);
    expect(offered).toContain('Resend invitation');
    expect(offered).not.toContain('Send password reset');
    // As a minute later: a resend at once is refused (one link a minute).
    await stack.api.query(`update one_time_tokens set created_at = created_at - interval '5 minutes' where user_id = '${invitedId}'`);
    await pickAction(admin, invitedEmail, 'Resend invitation');
    await admin.getByText(`Mail ${invitedEmail} a new invitation link? The earlier link stops working.`).waitFor();
    await admin.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByText(`A new invitation is on its way to ${invitedEmail}.`).waitFor();
    const second = await mailedLink(stack.webUrl, invitedEmail, '/reset-password', first);
    expect(second).not.toBe(first);
    const old = await freshPage();
    await old.goto(first);
    await old.getByText('This reset link is invalid, already used or expired.').waitFor();
  });

  test('desktop: an admin unlinks a provider; a locked account resets its password but is not signed in', async ({ stack, freshPage }) => {
    const admin = await adminPage(freshPage, 'desktop');
    const userPage = (email: string) => openUserPage(stack, admin, email);
    // A provider linked to a person with a password: unlinked after a confirmation, and they are told.
    const person = await freshPage();
    const { email, password } = await registerViaForm(person, { displayName: 'Una Link' });
    const [row] = await stack.api.query<{ id: string }>(`select id from users where email = '${email}'`);
    await stack.api.query(
      `insert into oauth_accounts (user_id, provider, subject, email, email_verified) values ('${row!.id}', 'github', 'gh-${row!.id}', '${email}', true)`,
    );
    await userPage(email);
    const providers = admin.getByTestId('user-providers');
    await providers.getByRole('button', { name: 'Unlink GitHub' }).click();
    await providers.getByText('Unlink GitHub from Una Link?').waitFor();
    expect(await checkBothSchemes(admin, 'unlink confirm')).toEqual([]);
    await providers.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByText('GitHub was unlinked. Una Link is told by email.').waitFor();
    await admin.getByText('No provider is linked.').waitFor();
    await screenshot(admin, 'admin-provider-unlinked');

    // Locked, the person resets the password: it is changed, but they are not signed in.
    await stack.api.query(`update users set locked_at = now(), locked_reason = 'e2e' where id = '${row!.id}'`);
    const guest = await freshPage();
    await guest.request.post('/api/auth/password/forgot', { data: { email } });
    await guest.goto(await mailedLink(stack.webUrl, email, '/reset-password'));
    await guest.getByLabel('New password', { exact: true }).fill(`${password}-new`);
    await guest.getByLabel('Confirm new password', { exact: true }).fill(`${password}-new`);
    await guest.getByRole('button', { name: 'Set new password' }).click();
    await guest.getByTestId('reset-locked').waitFor();
    expect(await guest.getByTestId('reset-locked').innerText()).toContain('locked by an administrator');
    expect(guest.url()).toContain('/reset-password');
  });
});
