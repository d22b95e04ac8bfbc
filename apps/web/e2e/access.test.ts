// Roles in the browser: projects, the admin pages, and a role change seen on the next request.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { loginViaForm, newContext, registerViaForm, screenshot } from './helpers/browser.js';
import { offeredActions, openActions, pickAction } from './helpers/admin.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const ADMIN = { email: 'web.admin@example.com', password: 'Web-Admin-Pass-1!' };

const test = stackTest({ RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password })
  // A page in a fresh browser profile, as many as a test needs; their contexts close after the test.
  .extend('freshPage', async ({ browser, stack }, { onCleanup }) => {
    const contexts: BrowserContext[] = [];
    onCleanup(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
    });
    return async (): Promise<Page> => {
      const context = await newContext(browser, stack.webUrl);
      contexts.push(context);
      return context.newPage();
    };
  });

async function adminPage(freshPage: () => Promise<Page>): Promise<Page> {
  const page = await freshPage();
  await loginViaForm(page, ADMIN);
  await page.waitForURL('**/dashboard');
  return page;
}

describe('web: roles, projects and admin pages', () => {
  test.beforeAll(startStackAndBrowser);

  test('a plain user gets the 403 page, with HTTP 403, for every admin page; the nav has no Admin link', async ({ stack, freshPage }) => {
    const page = await freshPage();
    await registerViaForm(page, { displayName: 'Ursula User' });
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    for (const path of ['/admin', '/admin/users', '/admin/audit?type=login.failed']) {
      const res = await page.goto(path);
      expect(res!.status(), path).toBe(403);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('don’t have access');
      const html = await res!.text();
      expect(html).not.toContain('Search by email or name');
      expect(html).not.toContain('Audit events');
    }
    await screenshot(page, 'admin-forbidden');
    // Signed out: a redirect to sign-in, not the 403 page.
    const anonymous = await fetch(`${stack.webUrl}/admin/users`, { redirect: 'manual' });
    expect(anonymous.status).toBe(307);
  });

  test('projects: create, edit and delete own, with a confirmation step', async ({ freshPage }) => {
    const page = await freshPage();
    await registerViaForm(page, { displayName: 'Pat Projects' });
    await page.getByRole('link', { name: 'Projects' }).first().click();
    await page.waitForURL('**/projects');
    expect(await page.getByTestId('view-all-projects').count()).toBe(0);

    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByText('Enter a project name.').count()).toBeGreaterThan(0);
    await page.getByLabel('Name').fill('Lighthouse');
    await page.getByLabel('Description').fill('Keeps ships off the rocks.');
    await page.getByRole('button', { name: 'Create project' }).click();
    const row = page.getByTestId('project-row').filter({ hasText: 'Lighthouse' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Keeps ships off the rocks.');

    await row.getByRole('button', { name: 'Edit Lighthouse' }).click();
    // While editing, the row holds a form (its text is in inputs): find it by position.
    const editing = page.getByTestId('project-row').first();
    await editing.getByLabel('Name').fill('Lighthouse II');
    await editing.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('project-row').filter({ hasText: 'Lighthouse II' }).waitFor();
    await page.reload();
    await page.getByTestId('project-row').filter({ hasText: 'Lighthouse II' }).waitFor();
    await screenshot(page, 'projects');

    await page.getByRole('button', { name: 'Delete Lighthouse II' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.getByTestId('project-row').count()).toBe(0);
    await page.reload();
    await page.getByText('No projects yet').waitFor();
  });

  test('an admin promotes a user, who sees the moderator view on their next request', async ({ freshPage }) => {
    const admin = await adminPage(freshPage);
    expect(await admin.getByRole('link', { name: 'Admin' }).count()).toBe(1);
    await admin.goto('/projects');
    await admin.getByLabel('Name').fill('Admin’s own project');
    await admin.getByRole('button', { name: 'Create project' }).click();
    await admin.getByTestId('project-row').filter({ hasText: 'Admin’s own project' }).waitFor();

    const user = await freshPage();
    const { email } = await registerViaForm(user, { displayName: 'Mona Moderator' });
    await user.goto('/projects');
    await user.getByRole('heading', { name: 'Your projects' }).waitFor();
    expect(await user.getByTestId('view-all-projects').count()).toBe(0);

    await admin.goto('/admin/users');
    await admin.getByLabel('Search by email or name').fill(email);
    await admin.getByRole('button', { name: 'Search' }).click();
    const row = admin.locator(`[data-testid=user-row][data-email="${email}"]`);
    await row.waitFor();
    await expect.poll(() => admin.getByTestId('user-row').count()).toBe(1);
    await pickAction(row, email, 'Make a moderator');
    await row.getByText('Make Mona Moderator a moderator?').waitFor();
    await screenshot(admin, 'admin-users-confirm');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByText('Mona Moderator is now a moderator.').waitFor();
    // The search form is a plain GET form too: the URL alone gives the same list.
    await admin.goto(`/admin/users?query=${encodeURIComponent(email)}`);
    await admin.locator(`[data-testid=user-row][data-email="${email}"]`).waitFor();
    await expect.poll(() => admin.getByTestId('user-row').count()).toBe(1);

    // The next request: the server renders the moderator view; the browser's old token (role
    // user) is refused and silently refreshed into one with the new role.
    await user.reload();
    await user.getByTestId('view-all-projects').click();
    await user.getByRole('heading', { name: 'Everyone’s projects' }).waitFor();
    await user.getByTestId('project-row').filter({ hasText: 'Admin’s own project' }).waitFor();
    await screenshot(user, 'projects-moderator-view');
    await user.goto('/dashboard');
    await expect.poll(() => user.getByText('moderator', { exact: true }).count()).toBe(1);

    // The audit log shows it, with the admin as the actor.
    await admin.goto('/admin/audit?type=user.role_changed');
    const event = admin.locator('[data-testid=audit-row][data-type="user.role_changed"]');
    await event.first().waitFor();
    // Readable: a label, the people by name, details as lines rather than JSON.
    const text = await event.first().innerText();
    expect(text).toContain('Role changed');
    expect(text).toContain('Mona Moderator');
    expect(text).toMatch(/To\W*moderator/);
    await screenshot(admin, 'admin-audit');
  });

  test('an admin signs a user out everywhere and deletes them, each after confirming', async ({ freshPage }) => {
    const victim = await freshPage();
    const { email } = await registerViaForm(victim, { displayName: 'Dee Leted' });

    const admin = await adminPage(freshPage);
    await admin.goto('/admin/users');
    await admin.getByLabel('Search by email or name').fill('Dee Leted');
    await admin.getByRole('button', { name: 'Search' }).click();
    const row = admin.locator(`[data-testid=user-row][data-email="${email}"]`);
    await row.waitFor();

    // The user's own page: sessions, then the actions.
    await openActions(row, email);
    await row.getByRole('link', { name: 'Open details' }).click();
    await admin.waitForURL('**/admin/users/*');
    await expect.poll(() => admin.getByTestId('user-sessions').locator('li').count()).toBe(1);
    await pickAction(admin, email, 'Sign out everywhere');
    await admin.getByRole('button', { name: 'Cancel' }).click();
    await pickAction(admin, email, 'Sign out everywhere');
    await admin.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByText('Dee Leted has been signed out everywhere.').waitFor();
    await admin.getByText('Not signed in anywhere.').waitFor();
    await screenshot(admin, 'admin-users-sessions');
    await victim.goto('/dashboard');
    await victim.waitForURL('**/login**');

    await pickAction(admin, email, 'Delete account');
    await admin.getByText('This cannot be undone.').waitFor();
    await admin.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByText('Dee Leted’s account has been deleted.').waitFor();
    await admin.goto(`/admin/users?query=${encodeURIComponent(email)}`);
    await admin.getByText('No accounts found').waitFor();

    // The last admin is offered neither a demotion nor a deletion the server would refuse.
    await admin.getByLabel('Search by email or name').fill(ADMIN.email);
    await admin.getByRole('button', { name: 'Search' }).click();
    const self = admin.locator(`[data-testid=user-row][data-email="${ADMIN.email}"]`);
    await expect.poll(() => admin.getByTestId('user-row').count()).toBe(1);
    const offered = await offeredActions(self, ADMIN.email);
    expect(offered).toContain('Sign out everywhere');
    expect(offered.filter((a) => a.startsWith('Make') || a === 'Delete account' || a === 'Lock account')).toEqual([]);
  });
});
