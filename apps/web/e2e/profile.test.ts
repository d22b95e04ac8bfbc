// Profile in Chromium: a new display name shows in the header at once and on the dashboard, a new
// email address is confirmed from the mailed link, and deleting the account through the danger
// zone signs out for good.
import { describe, expect } from 'vitest';
import { loginViaForm, registerViaForm, screenshot, uniqueEmail, openFromAccountMenu } from './helpers/browser.js';
import { mailedLink } from './helpers/outbox.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const test = stackTest({ RATE_LIMITS: 'off' });

describe('web: profile', () => {
  test.beforeAll(startStackAndBrowser, 600_000);

  test('renames (header updates without a reload), then deletes the account; the old credentials no longer sign in', async ({ page }) => {
    const credentials = await registerViaForm(page, { displayName: 'Grace Hopper' });

    await openFromAccountMenu(page, 'Profile');
    await page.waitForURL('**/settings/profile');
    const name = page.getByLabel('Display name');
    await expect.poll(() => name.inputValue()).toBe('Grace Hopper');
    // Untrusted text: shown as text, never as markup.
    await name.fill('Rear Admiral <b>Grace</b>');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => page.getByTestId('header-user-name').textContent()).toBe('Rear Admiral <b>Grace</b>');
    expect(await page.getByRole('status').filter({ hasText: 'Your name has been changed.' }).count()).toBe(1);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Rear Admiral <b>Grace</b>');

    await page.goto('/settings/profile');
    await page.getByRole('button', { name: 'Delete account…' }).click();
    const form = page.getByRole('form', { name: 'Confirm deleting your account' });
    await form.getByLabel('Password').fill('Wrong-Horse-1');
    await form.getByRole('button', { name: 'Delete my account for good' }).click();
    await expect.poll(() => form.getByRole('alert').filter({ hasText: 'Your password is not right.' }).count()).toBe(1);
    await form.getByLabel('Password').fill(credentials.password);
    await screenshot(page, 'profile-delete-confirm');
    await form.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.waitForURL('**/login?notice=account_deleted');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your account has been deleted.' }).count()).toBe(1);
    expect(await page.getByTestId('header-user-name').count()).toBe(0);

    await loginViaForm(page, credentials);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'do not match an account' }).count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  test('changes the email address: password and new address, the mailed link confirms it in the browser', async ({ stack, page }) => {
    const credentials = await registerViaForm(page, { displayName: 'Katherine Johnson' });
    const newEmail = uniqueEmail('web.moved');

    await page.goto('/settings/profile');
    await page.getByRole('button', { name: 'Change email address…' }).click();
    const form = page.getByRole('form', { name: 'Change your email address' });
    await form.getByLabel('Password').fill(credentials.password);
    await form.getByLabel('New email address').fill(newEmail);
    await screenshot(page, 'profile-email-change-form');
    await form.getByRole('button', { name: 'Send confirmation link' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Check your inbox at ${newEmail}` })
          .count(),
      )
      .toBe(1);
    await screenshot(page, 'profile-email-change-sent');

    const link = await mailedLink(stack.webUrl, newEmail, '/confirm-email-change');
    await page.goto(link);
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Your email address is now ${newEmail}` })
          .count(),
      )
      .toBe(1);
    // The token left the address bar.
    expect(new URL(page.url()).search).toBe('');
    await screenshot(page, 'confirm-email-change-done');

    await page.getByRole('link', { name: 'Continue to your profile' }).click();
    await page.waitForURL('**/settings/profile');
    await expect.poll(() => page.locator('main').innerText()).toContain(`(${newEmail})`);
    expect(await page.locator('main').innerText()).not.toContain(credentials.email);
  });
});
