// Sign-in with an OpenID Provider in Chromium: the login page, the provider's own login and
// consent pages (a real oidc-provider on loopback), and back to the dashboard.
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { startOidcProvider, type TestProvider } from '@portcullis/testing/oidcProvider';
import { screenshot } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

// `localhost` vs the web app's 127.0.0.1: two sites, so coming back from the provider is a
// cross-site navigation, as in production (a SameSite=Strict flow cookie would be lost).
let provider: TestProvider;
const redirectUris: string[] = [];
// A function: the provider's URL is known once the beforeAll below has started it.
const test = stackTest(() => ({
  RATE_LIMITS: 'off',
  OAUTH_ALLOW_INSECURE_REQUESTS: 'true',
  OIDC_ISSUER: provider.issuer,
  OIDC_CLIENT_ID: provider.clientId,
  OIDC_CLIENT_SECRET: provider.clientSecret,
  OIDC_NAME: 'Acme SSO',
  // The test provider's email_verified is believed (as Google's is), so a verified address links.
  OIDC_TRUST_EMAIL: 'true',
}));

describe('web: sign in with an OpenID provider', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    provider = await startOidcProvider({ redirectUris, issuerHost: 'localhost' });
  });
  test.beforeAll(startStackAndBrowser);
  test.beforeAll(({ stack }) => {
    // The web port is known only now; the provider reads its redirect URIs on its first request.
    redirectUris.push(`${stack.webUrl}/api/auth/oauth/oidc/callback`);
  });
  afterAll(async () => {
    await provider?.close();
  });

  const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`;

  /** On the provider's own pages: its login form, then its consent page. */
  async function atProvider(page: import('playwright-core').Page, login: string, consent: 'allow' | 'deny' = 'allow') {
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    if (consent === 'deny') return page.getByRole('link', { name: '[ Cancel ]' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any-password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForURL(`${provider.issuer}/interaction/**`);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  test('login page → the provider’s login and consent pages → dashboard, signed in', async ({ stack, context, page }) => {
    const login = 'ada';
    provider.accounts.set(login, { email: unique('ada'), email_verified: true, name: 'Ada Lovelace' });
    await page.goto('/login');
    // Only the configured provider is offered.
    const buttons = page.getByRole('list', { name: 'Other ways to sign in' }).getByRole('link');
    await expect(buttons.allTextContents()).resolves.toEqual(['AContinue with Acme SSO']);
    await screenshot(page, 'oauth-login-page');

    const callbackSite = new Promise<string | undefined>((resolve) =>
      page.on('request', (r) => {
        if (r.url().includes('/api/auth/oauth/oidc/callback')) void r.allHeaders().then((h) => resolve(h['sec-fetch-site']));
      }),
    );
    await page.getByRole('link', { name: /Continue with Acme SSO/ }).click();
    await atProvider(page, login);
    await page.waitForURL(`${stack.webUrl}/dashboard`);
    await expect(callbackSite).resolves.toBe('cross-site');
    await expect(page.getByTestId('welcome-name').textContent()).resolves.toBe('Ada Lovelace');
    // Same cookies as a password login; the flow cookie is gone.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'refresh_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    expect(cookies.find((c) => c.name === 'portcullis_session')).toBeDefined();
    expect(cookies.filter((c) => /^portcullis_oauth_[0-9a-f]{12}$/.test(c.name))).toEqual([]);
    await screenshot(page, 'oauth-dashboard');

    // Settings shows the linked provider; as the only way to sign in it cannot be unlinked.
    await page.goto('/settings/security');
    const section = page.getByTestId('linked-providers');
    await section.getByText('Acme SSO', { exact: true }).waitFor();
    await section.getByText('This is your only way to sign in').waitFor();
    await expect(section.getByRole('button', { name: 'Unlink' }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'oauth-settings');
  });

  test('keeps a relative redirect through the round trip', async ({ stack, page }) => {
    provider.accounts.set('grace', { email: unique('grace'), email_verified: true, name: 'Grace Hopper' });
    await page.goto('/login?redirect=%2Fsettings%2Fsecurity');
    await page.getByRole('link', { name: /Continue with Acme SSO/ }).click();
    await atProvider(page, 'grace');
    await page.waitForURL(`${stack.webUrl}/settings/security`);
  });

  test('cancelling at the provider lands on the login page with a clear message', async ({ stack, page }) => {
    await page.goto('/login');
    await page.getByRole('link', { name: /Continue with Acme SSO/ }).click();
    await atProvider(page, 'nobody', 'deny');
    await page.waitForURL(`${stack.webUrl}/login?error=oauth_access_denied`);
    await page.getByRole('alert').getByText('Sign-in was cancelled at the provider').waitFor();
    await screenshot(page, 'oauth-denied');
  });

  test('an account with two-step verification gets the code step after the provider', async ({ stack, context, page }) => {
    const local = await registerUser(stack.api.url, { email: unique('mfa') });
    await stack.api.query(`update users set email_verified_at = now() where id = '${local.user.id}'`);
    const setup = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(local.accessToken) });
    const code = (at: number) => TOTP.generate({ secret: Secret.fromBase32(setup.body.secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
    // The previous step's code, with at least 10 s of this step left: a slow request cannot make it two steps old.
    const left = 30_000 - (Date.now() % 30_000);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    expect(
      (await request(stack.api.url, 'POST', '/api/auth/mfa/totp/enable', { body: { code: code(Date.now() - 30_000) }, headers: bearer(local.accessToken) }))
        .status,
    ).toBe(200);
    provider.accounts.set('mfa-person', { email: local.email, email_verified: true });

    await page.goto('/login');
    await page.getByRole('link', { name: /Continue with Acme SSO/ }).click();
    await atProvider(page, 'mfa-person');
    await page.waitForURL(`${stack.webUrl}/login?mfa=oauth`);
    // No session yet, and the challenge never appeared in a URL.
    expect((await context.cookies()).find((c) => c.name === 'refresh_token')).toBeUndefined();
    // Not linked before the code…
    expect(await stack.api.query(`select 1 from oauth_accounts where user_id = '${local.user.id}'`)).toEqual([]);
    await page.getByLabel('Authentication code').fill(code(Date.now())); // six digits submit by themselves
    await page.waitForURL(`${stack.webUrl}/dashboard`);
    // …linked once it was right (the pending link rode in its cookie to POST /api/auth/login/mfa).
    expect(await stack.api.query(`select provider from oauth_accounts where user_id = '${local.user.id}'`)).toEqual([{ provider: 'oidc' }]);
  });

  test('links the provider from security settings to a password account, and unlinks it', async ({ stack, page }) => {
    const local = await registerUser(stack.api.url, { email: unique('linker'), displayName: 'Linus Linker' });
    provider.accounts.set('linker-at-idp', { email: unique('elsewhere'), email_verified: true });
    await page.goto('/login?redirect=%2Fsettings%2Fsecurity');
    await page.getByLabel('Email').fill(local.email);
    await page.getByLabel('Password').fill(local.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${stack.webUrl}/settings/security`);
    const section = page.getByTestId('linked-providers');
    await section.getByText('No provider is linked yet.').waitFor();
    await section.getByRole('button', { name: 'Link Acme SSO' }).click();
    // Linking re-authenticates: the password first, then the provider.
    const proof = section.getByRole('form', { name: 'Link Acme SSO' });
    await proof.getByRole('button', { name: 'Continue to Acme SSO' }).click();
    await proof.getByText('Enter your password.').waitFor();
    await proof.getByLabel('Password').fill(local.password);
    await screenshot(page, 'oauth-link-reauth');
    await proof.getByRole('button', { name: 'Continue to Acme SSO' }).click();
    await atProvider(page, 'linker-at-idp');
    await page.waitForURL(`${stack.webUrl}/settings/security?linked=oidc`);
    await page.getByText('Acme SSO is now linked').waitFor();
    // The holder is told by mail.
    const notices = await stack.api.query(`select 1 from mail_messages where "to" = '${local.email}' and subject = 'Acme SSO can now sign in to your account'`);
    expect(notices).toHaveLength(1);
    await screenshot(page, 'oauth-linked');
    // A password account may unlink its only provider.
    await page.getByTestId('linked-providers').getByRole('button', { name: 'Unlink' }).click();
    await page.getByText('Acme SSO is no longer linked.').waitFor();
    const rows = await stack.api.query(`select 1 from oauth_accounts where user_id = '${local.user.id}'`);
    expect(rows).toEqual([]);
  });
});
