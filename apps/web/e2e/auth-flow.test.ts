// The web app end to end in Chromium, against a real API and a real production web server.
import { Secret, TOTP } from 'otpauth';
import { describe, expect } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { loginViaForm, registerViaForm, screenshot, settle, openFromAccountMenu, signOutViaMenu } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';
import { freePort, startWebServer } from './helpers/stack.js';

const test = stackTest({ RATE_LIMITS: 'off' });

describe('web: sign-up, sign-in, sign-out', () => {
  test.beforeAll(startStackAndBrowser);

  test('redirects /dashboard without a session on the server, before any page HTML', async ({ stack, page }) => {
    const res = await fetch(`${stack.webUrl}/dashboard`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('/login?redirect=%2Fdashboard');
    expect(await res.text()).not.toContain('Welcome');

    const nested = await fetch(`${stack.webUrl}/settings/security?tab=1`, { redirect: 'manual' });
    expect(nested.status).toBe(307);
    expect(nested.headers.get('location')).toBe('/login?redirect=%2Fsettings%2Fsecurity%3Ftab%3D1');

    // A forged internal header does not sign anyone in.
    const forged = Buffer.from(JSON.stringify({ id: 'x', email: 'x@example.com', displayName: 'Mallory', role: 'admin' })).toString('base64url');
    const spoofed = await fetch(`${stack.webUrl}/dashboard`, { redirect: 'manual', headers: { 'x-portcullis-user': forged } });
    expect(spoofed.status).toBe(307);

    const response = await page.goto('/dashboard');
    const first = response!.request().redirectedFrom();
    expect(first?.url()).toBe(`${stack.webUrl}/dashboard`);
    expect((await first!.response())!.status()).toBe(307);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'login');
  });

  test('proxies /api and /.well-known on the same origin, with the real client address (a forged X-Forwarded-For is replaced)', async ({ stack }) => {
    const jwks = await fetch(`${stack.webUrl}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);

    const email = `proxy.${Date.now()}@example.com`;
    const res = await fetch(`${stack.webUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.66', 'x-portcullis-user': 'forged' },
      body: JSON.stringify({ email, password: 'Proxy-Pass-123', displayName: 'Proxied' }),
    });
    expect(res.status).toBe(201);
    const cookies = res.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith('refresh_token=') && c.includes('Path=/api/auth') && c.includes('SameSite=Strict'))).toBe(true);
    expect(cookies.some((c) => c.startsWith('portcullis_session=') && c.includes('HttpOnly'))).toBe(true);
    const rows = await stack.api.query<{ ip: string }>(`select s.ip from sessions s join users u on u.id = s.user_id where u.email = '${email}'`);
    expect(rows.map((r) => r.ip)).toEqual(['127.0.0.1']);

    const bad = await fetch(`${stack.webUrl}/api/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
  });

  test('register → dashboard with the name (also in the first HTML); reload keeps the session; sign out → /login, Back does not show the dashboard', async ({
    page,
  }) => {
    // The nonce-based CSP must let the app's own scripts run, and nothing may throw.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const landing = await page.goto('/');
    expect(landing!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    await screenshot(page, 'landing');

    await page.goto('/register');
    await page.getByRole('button', { name: 'Create account' }).click(); // empty: messages by the fields
    await expect.poll(() => page.locator('form [role=alert]').textContent()).toContain('Please correct the fields');
    expect(await page.getByText('Enter your name.').count()).toBe(1);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await screenshot(page, 'register-errors');

    await registerViaForm(page, { displayName: 'Grace Hopper' });
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Grace Hopper');
    await expect.poll(() => page.getByTestId('header-user-name').textContent()).toBe('Grace Hopper');
    await expect.poll(() => page.getByTestId('session-count').textContent()).toBe('1 active session');
    await screenshot(page, 'dashboard');

    // The server-rendered HTML already carries the name, and protected HTML is never cached.
    const html = await page.request.get('/dashboard', { maxRedirects: 0 });
    expect(html.status()).toBe(200);
    expect(html.headers()['cache-control']).toContain('no-store');
    expect(await html.text()).toContain('Grace Hopper');

    await page.reload();
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Grace Hopper');
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    await openFromAccountMenu(page, 'Security');
    await page.waitForURL('**/settings/security');
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(1);
    await screenshot(page, 'security');

    await signOutViaMenu(page);
    await page.waitForURL((url) => url.pathname === '/login');
    // Back (twice: past the security page to the dashboard) only ever shows the sign-in page.
    for (let i = 0; i < 2; i++) {
      await page.goBack();
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByTestId('welcome-name').count()).toBe(0);
      expect(await page.content()).not.toContain('Grace Hopper');
    }
    expect(problems).toEqual([]);
  });

  test('keeps no token in localStorage, sessionStorage or document.cookie after login', async ({ context, page }) => {
    const account = await registerViaForm(page, { displayName: 'Storage Check' });
    await signOutViaMenu(page);
    await page.waitForURL((url) => url.pathname === '/login');

    // Read the login answer on its way to the page (the page navigates away right after).
    let accessToken = '';
    await page.route('**/api/auth/login', async (route) => {
      const response = await route.fetch();
      accessToken = ((await response.json()) as { accessToken: string }).accessToken;
      await route.fulfill({ response });
    });
    await loginViaForm(page, account);
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('session-count').textContent()).toContain('active');
    expect(accessToken).toMatch(/^eyJ/);

    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'refresh_token');
    expect(refresh?.httpOnly).toBe(true);
    expect(refresh?.sameSite).toBe('Strict');
    expect(cookies.find((c) => c.name === 'portcullis_session')?.httpOnly).toBe(true);

    const stored = await page.evaluate(() => {
      const dump = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i)!)}`).join('\n');
      return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie };
    });
    for (const value of Object.values(stored)) {
      expect(value).not.toContain(accessToken);
      expect(value).not.toContain(refresh!.value);
      expect(value).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT of any kind
    }
    expect(stored.cookie).not.toContain('refresh_token');
    expect(stored.cookie).not.toContain('portcullis_session');
  });

  test('renders an XSS display name as text', async ({ page }) => {
    const name = '<img src=x onerror=alert(1)>';
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await registerViaForm(page, { displayName: name });
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe(name);
    expect(await page.getByTestId('header-user-name').textContent()).toBe(name);
    expect(await page.locator('img').count()).toBe(0);
    const html = await (await page.request.get('/dashboard')).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    await page.reload();
    await openFromAccountMenu(page, 'Security');
    await page.waitForURL('**/settings/security');
    expect(dialogs).toEqual([]);
    await screenshot(page, 'xss-name');
  });

  test('after login goes to a same-origin redirect target, and to /dashboard for //evil.example', async ({ stack, context, page }) => {
    const account = await registerViaForm(page, { displayName: 'Redirected' });
    // The dashboard's silent refresh sets cookies when it lands: clearing them before would be undone.
    await settle(page);
    await context.clearCookies();

    await loginViaForm(page, account, encodeURIComponent('//evil.example/steal'));
    await page.waitForURL((url) => url.pathname === '/dashboard');
    expect(new URL(page.url()).origin).toBe(stack.webUrl);
    await settle(page);

    await context.clearCookies();
    await loginViaForm(page, account, encodeURIComponent('/settings/security'));
    await page.waitForURL((url) => url.pathname === '/settings/security');
  });

  test('signs in with the keyboard alone, and explains a wrong password and /login?error=', async ({ context }) => {
    const setup = await context.newPage();
    const account = await registerViaForm(setup, { displayName: 'Keys Only' });
    await setup.close();
    await context.clearCookies();

    const page = await context.newPage();
    await page.goto('/login?error=oauth_access_denied');
    expect(await page.locator('form [role=alert]').textContent()).toContain('Sign-in was cancelled');
    // The email field has focus on arrival; Tab moves to the password; Enter submits.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
    await page.keyboard.type(account.email);
    // Tab on to the password field (past any link in between, such as "Forgot password?").
    const visited: string[] = [];
    for (let i = 0; i < 4 && visited.at(-1) !== 'password'; i++) {
      await page.keyboard.press('Tab');
      visited.push((await page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent)) ?? '');
    }
    expect(visited.at(-1)).toBe('password');
    await page.keyboard.type('Wrong-Password-1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('form [role=alert]').textContent()).toContain('do not match an account');
    await screenshot(page, 'login-error');

    // After the error the cursor is back in the (cleared) password field.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Keys Only');
  });

  test('asks for the second factor of an MFA account: a wrong code is explained, a recovery code or a TOTP code signs in', async ({ stack, page }) => {
    const account = await registerUser(stack.api.url, { displayName: 'Multi Factor' });
    const setup = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(account.accessToken), body: {} });
    expect(setup.status).toBe(200);
    const secret = Secret.fromBase32(setup.body.secret as string);
    const codeAt = (timestamp: number) => TOTP.generate({ secret, algorithm: 'SHA1', digits: 6, period: 30, timestamp });
    const enabled = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/enable', {
      headers: bearer(account.accessToken),
      body: { code: codeAt(Date.now()) },
    });
    expect(enabled.status).toBe(200);
    const recoveryCodes = enabled.body.recoveryCodes as string[];

    await loginViaForm(page, account);
    const codeField = page.getByLabel('Authentication code');
    await codeField.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('code');
    await screenshot(page, 'login-mfa');
    // Six digits submit by themselves; the error is said once, above the form.
    await codeField.fill(codeAt(Date.now()) === '000000' ? '111111' : '000000');
    await expect.poll(() => page.locator('form [role=alert]').textContent()).toMatch(/not (right|valid)/);
    expect(await codeField.getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('welcome-name').textContent()).toBe('Multi Factor');

    // Signed out again, then in with the authenticator's next code (the current one was used to enable).
    await signOutViaMenu(page);
    await page.waitForURL((url) => url.pathname === '/login');
    await loginViaForm(page, account);
    await codeField.fill(codeAt(Date.now() + 30_000)); // six digits submit by themselves
    await page.waitForURL('**/dashboard');
  });

  test('changes the password from the security page, explaining a wrong current password', async ({ stack, page }) => {
    const account = await registerViaForm(page, { displayName: 'Pass Changer' });
    await page.goto('/settings/security');
    const newPassword = 'Brand-New-Secret-42';
    await page.getByLabel('Current password').fill('Not-The-Password-1');
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByText('This is not your current password.').count()).toBe(1);
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'change-password-error');

    await page.getByLabel('Current password').fill(account.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Password changed' }).count()).toBe(1);
    // Still signed in here; the new password works and the old one does not.
    await page.getByTestId('reload-sessions').click();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(1);
    const withNew = await request(stack.api.url, 'POST', '/api/auth/login', { body: { email: account.email, password: newPassword } });
    expect(withNew.status).toBe(200);
    const withOld = await request(stack.api.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password } });
    expect(withOld.status).toBe(401);
  });

  test('answers 503 for a protected page when the API cannot be asked, never a guess either way', async () => {
    const deadApi = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const web = await startWebServer({ apiUrl: deadApi });
    try {
      const withCookie = await fetch(`${web.url}/dashboard`, { redirect: 'manual', headers: { cookie: 'portcullis_session=some-id.some-signature' } });
      expect(withCookie.status).toBe(503);
      expect(withCookie.headers.get('cache-control')).toContain('no-store');
      expect(await withCookie.text()).toContain('Temporarily unavailable');
      // No session cookie: nothing to ask, so the usual redirect to sign-in.
      const without = await fetch(`${web.url}/dashboard`, { redirect: 'manual' });
      expect(without.status).toBe(307);
      // The API proxy answers in the contract's error shape.
      const api = await fetch(`${web.url}/api/auth/me`);
      expect(api.status).toBe(502);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await web.close();
    }
  });

  test('shows the 404 page', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response!.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('can’t find');
    await screenshot(page, 'not-found');
  });
});
