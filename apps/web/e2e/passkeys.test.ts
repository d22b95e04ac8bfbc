// Passkeys in Chromium with a virtual authenticator (Chrome DevTools Protocol WebAuthn domain:
// internal transport, resident keys, user verification): add one in settings, sign out, sign in
// with only the passkey (button and conditional UI), use it as the second factor, remove it; a
// browser without the credential cannot use it.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { bearer, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { codeAt } from '@portcullis/testing/totp';
import { countRequests, newContext, registerViaForm, screenshot, settle } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';
import type { Stack } from './helpers/stack.js';

const test = stackTest({ RATE_LIMITS: 'off' });

/** A browser refuses an IP address as the RP id: the API's default for a 127.0.0.1 WEB_URL is `localhost`, one of its spellings. */
const localhostUrl = (stack: Stack) => stack.webUrl.replace('127.0.0.1', 'localhost');

/** A fresh profile on the localhost origin with a virtual platform authenticator; returns its page. */
async function withAuthenticator(context: BrowserContext) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length;
  /**
   * Off: the authenticator answers no request (the login page's waiting conditional request stays
   * waiting), so a step can use the password or the button without the autofill signing in first.
   */
  const presence = (enabled: boolean) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });
  return { page, credentials, presence };
}

async function addPasskey(page: Page, password: string) {
  await page.goto('/settings/security');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  const form = page.getByRole('form', { name: 'Add a passkey' });
  await form.getByLabel('Passkey name').fill('Test laptop');
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Create passkey' }).click();
  await expect.poll(() => page.getByTestId('passkeys').innerText()).toContain('Passkey “Test laptop” added');
}

async function signOut(page: Page, context: BrowserContext) {
  await context.clearCookies();
  await page.goto('/login');
  await settle(page);
}

const amrOf = (page: Page) => page.evaluate(async () => ((await (await fetch('/api/auth/session')).json()) as { session: { amr: string[] } }).session.amr);

describe('web: passkeys', () => {
  test.beforeAll(startStackAndBrowser, 600_000);

  test('add a passkey, sign out, sign in with only the passkey; a browser without it cannot', async ({ stack, browser }) => {
    const context = await newContext(browser, localhostUrl(stack));
    try {
      const { page, credentials, presence } = await withAuthenticator(context);
      const { email, password } = await registerViaForm(page, { displayName: 'Grace Hopper' });
      await addPasskey(page, password);
      expect(await credentials()).toBe(1);
      await screenshot(page, 'passkey-added');

      await presence(false);
      await signOut(page, context);
      // The email field offers passkeys in its autofill (conditional UI).
      expect(await page.getByLabel('Email', { exact: true }).getAttribute('autocomplete')).toBe('username webauthn');
      await presence(true);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL('**/dashboard');
      expect(await amrOf(page)).toEqual(['hwk', 'mfa']);
      expect(
        (await stack.api.query(`select last_used_at from passkeys where user_id = (select id from users where email = '${email}')`))[0]!.last_used_at,
      ).not.toBeNull();

      // Another browser profile, with an authenticator that never saw the credential.
      const other = await newContext(browser, localhostUrl(stack));
      try {
        const { page: stranger } = await withAuthenticator(other);
        await stranger.goto('/login');
        await settle(stranger);
        await stranger.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await expect
          .poll(
            () =>
              stranger
                .getByRole('alert')
                .filter({ hasText: /passkey/i })
                .count(),
            { timeout: 120_000 },
          )
          .toBe(1);
        expect(stranger.url()).toContain('/login');
      } finally {
        await other.close();
      }
    } finally {
      await context.close();
    }
  });

  test('conditional UI: the login page asks for a passkey in the email field’s autofill', async ({ stack, browser }) => {
    const context = await newContext(browser, localhostUrl(stack));
    try {
      const { page } = await withAuthenticator(context);
      const { password } = await registerViaForm(page, { displayName: 'Katherine Johnson' });
      await addPasskey(page, password);
      await context.clearCookies();
      // Record the options request the page makes on its own, before any click.
      const optionsAsked = page.waitForRequest((r) => r.url().endsWith('/api/auth/passkeys/sign-in/options'));
      const signIns = countRequests(context, '/api/auth/passkeys/sign-in');
      await page.goto('/login');
      await optionsAsked;
      // No click: Chromium's virtual authenticator answers the waiting conditional request as a
      // person picking the passkey from the email field's autofill would.
      await page.waitForURL('**/dashboard', { timeout: 60_000 });
      expect(await amrOf(page)).toEqual(['hwk', 'mfa']);
      expect(signIns.statuses).toEqual([200]);
    } finally {
      await context.close();
    }
  });

  test('a passkey as the second factor after the password, and removing it', async ({ stack, browser }) => {
    const context = await newContext(browser, localhostUrl(stack));
    try {
      const { page, presence } = await withAuthenticator(context);
      const { email, password } = await registerViaForm(page, { displayName: 'Dorothy Vaughan' });
      // TOTP on through the API, then a passkey through the page (which now also wants a code).
      const login = await request(stack.api.url, 'POST', '/api/auth/login', { body: { email, password: STRONG_PASSWORD } });
      const setup = await request(stack.api.url, 'POST', '/api/auth/mfa/totp/setup', { body: {}, headers: bearer(login.body.accessToken) });
      const at = Date.now();
      expect(
        (
          await request(stack.api.url, 'POST', '/api/auth/mfa/totp/enable', {
            body: { code: codeAt(setup.body.secret, at) },
            headers: bearer(login.body.accessToken),
          })
        ).status,
      ).toBe(200);
      await page.goto('/settings/security');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      const form = page.getByRole('form', { name: 'Add a passkey' });
      await form.getByLabel('Password', { exact: true }).fill(password);
      await form.getByLabel('Code from the app').fill(codeAt(setup.body.secret, at + 30_000));
      await form.getByRole('button', { name: 'Create passkey' }).click();
      await expect.poll(() => page.getByTestId('passkeys').innerText()).toContain('added');

      await presence(false);
      await signOut(page, context);
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const usePasskey = page.getByRole('button', { name: 'Use a passkey instead' });
      await usePasskey.waitFor();
      await presence(true);
      await usePasskey.click();
      await page.waitForURL('**/dashboard');
      expect(await amrOf(page)).toEqual(['pwd', 'hwk', 'mfa']);

      await page.goto('/settings/security');
      await page.getByRole('button', { name: 'Remove Passkey 1' }).click();
      await expect.poll(() => page.getByTestId('passkeys').innerText()).toContain('No passkeys yet');
      await screenshot(page, 'passkey-removed');
      await signOut(page, context);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await expect
        .poll(
          () =>
            page
              .getByRole('alert')
              .filter({ hasText: /passkey/i })
              .count(),
          { timeout: 120_000 },
        )
        .toBe(1);
    } finally {
      await context.close();
    }
  });
});
