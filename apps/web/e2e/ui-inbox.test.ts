// The development inbox: the dev outbox as a page (list, open a message, follow its link).
import { describe, expect } from 'vitest';
import { screenshot, settle, uniqueEmail } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const test = stackTest({ RATE_LIMITS: 'off' });

describe('web: development inbox', () => {
  test.beforeAll(startStackAndBrowser);

  for (const size of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    test(`lists the outbox, opens a message and follows its link (${size.name})`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      const email = uniqueEmail(`inbox-${size.name}`);
      await page.goto('/forgot-password');
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByText('If an account exists for').waitFor();

      // Nothing is mailed for an unknown address; sign up, then ask again.
      const res = await page.request.post('/api/auth/register', { data: { email, password: 'Inbox-Pass-42!', displayName: 'Inbox Person' } });
      expect(res.status()).toBe(201);
      await page.context().clearCookies();
      await page.request.post('/api/auth/password/forgot', { data: { email } });

      await page.goto('/dev/inbox');
      await settle(page);
      const item = page.getByTestId('inbox-item').filter({ hasText: email }).filter({ hasText: /reset/i }).first();
      await expect
        .poll(async () => {
          if ((await item.count()) === 0) await page.getByRole('button', { name: 'Refresh' }).click();
          return item.count();
        })
        .toBe(1);
      await item.click();
      // The HTML part first, in a frame that runs nothing; the text part a click away.
      const frame = page.getByTestId('inbox-html');
      await frame.waitFor();
      expect(await frame.getAttribute('sandbox')).toBe('allow-top-navigation-by-user-activation');
      const inside = page.frameLocator('[data-testid=inbox-html]');
      await inside.getByRole('link', { name: 'Choose a new password' }).waitFor();
      await screenshot(page, `inbox-html-${size.name}`);
      await page.getByRole('button', { name: 'Text' }).click();
      expect(await page.getByRole('button', { name: 'Text' }).getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => page.locator('article').innerText()).toContain(email);
      await screenshot(page, `inbox-${size.name}`);
      if (size.name === 'desktop') {
        await page
          .locator('article')
          .getByRole('link', { name: /\/reset-password\?token=/ })
          .click();
      } else {
        // A link in the HTML opens in the top window (the frame itself cannot be navigated away to the app).
        await page.getByRole('button', { name: 'HTML' }).click();
        await inside.getByRole('link', { name: 'Choose a new password' }).click();
      }
      await page.waitForURL('**/reset-password');
      await page.getByLabel('New password', { exact: true }).waitFor();
    });
  }
});
