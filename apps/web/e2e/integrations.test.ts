// Issue 15 in the browser: a user creates a personal API key on /settings/api-keys (shown once)
// and a script uses it; an admin adds a webhook endpoint on /admin/webhooks (its secret shown
// once), sees its deliveries, and creates a service account on /admin/service-accounts.
import { describe, expect } from 'vitest';
import { bearer, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { newUser } from '@portcullis/testing/access';
import { loginViaForm, screenshot } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const ADMIN = { email: 'hooks.admin@example.com', password: 'Web-Admin-Pass-1!' };

const test = stackTest({
  RATE_LIMITS: 'off',
  ALLOW_BOOTSTRAP: 'true',
  BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  WEBHOOK_ALLOW_PRIVATE: 'true',
});

describe('web: API keys, webhooks and service accounts', () => {
  test.beforeAll(startStackAndBrowser, 600_000);

  test('a user creates an API key, sees it once, and a script calls the API with it', async ({ stack, page }) => {
    const person = await newUser(stack.api.url, 'Keyholder');
    await loginViaForm(page, { email: person.email, password: STRONG_PASSWORD });
    await page.waitForURL('**/dashboard');
    await page.goto('/settings/api-keys');
    await page.getByLabel('Name').fill('nightly export');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('shown-once');
    await shown.waitFor();
    const key = (await shown.innerText()).trim();
    expect(key).toMatch(/^pk_/);
    await expect.poll(() => page.getByTestId('api-key-row').count()).toBe(1);
    await screenshot(page, 'api-keys');
    const me = await request(stack.api.url, 'GET', '/api/auth/me', { headers: bearer(key) });
    expect(me.body.user.email).toBe(person.email);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.getByTestId('api-key-row').count()).toBe(0);
    expect((await request(stack.api.url, 'GET', '/api/auth/me', { headers: bearer(key) })).status).toBe(401);
  });

  test('an admin adds a webhook endpoint and a service account', async ({ stack, page }) => {
    await loginViaForm(page, ADMIN);
    await page.waitForURL('**/dashboard');
    await page.goto('/admin/webhooks');
    // Nothing listens there: deliveries fail and are logged with their error.
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByTestId('shown-once').waitFor();
    expect((await page.getByTestId('shown-once').innerText()).trim()).toMatch(/^whsec_/);
    await expect.poll(() => page.getByTestId('webhook-row').count()).toBe(1);
    await newUser(stack.api.url, 'Hooked');
    await page.getByRole('button', { name: 'Deliveries' }).click();
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return page.getByTestId('delivery-row').count();
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('delivery-row').first().innerText()).toMatch(/user\.created|session\.created/);
    await screenshot(page, 'admin-webhooks');

    await page.goto('/admin/service-accounts');
    await page.getByLabel('Name').fill('billing');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('shown-once').waitFor();
    await expect.poll(() => page.getByTestId('service-account-row').count()).toBe(1);
  });
});
