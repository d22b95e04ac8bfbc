import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openState, sealState } from '../../src/http/oauth/stateCookie.js';
import {
  expectFailure,
  expectSignedIn,
  flowCookie,
  lastFailure,
  signInVia,
  startOAuthFixture,
  toCallback,
  WEB_URL,
  type OAuthFixture,
} from './helpers/fixture.js';

/** Every way the OAuth flow must fail, each against the real OpenID Provider. */

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterEach(() => {
  f.tamper.tamper = undefined;
  f.tamper.foreignKey = undefined;
});
afterAll(async () => {
  await f?.close();
});

const person = () => f.account({ email: `p.${Date.now()}.${Math.random().toString(36).slice(2)}@acme.example`, email_verified: true });

async function usersCount(): Promise<number> {
  const [row] = await f.api.query<{ n: number }>('select count(*)::int as n from users');
  return row!.n;
}

describe('state', () => {
  it('a tampered state cookie fails the flow', async () => {
    const browser = f.browser();
    const callback = await toCallback(browser, { login: person() });
    const name = flowCookie(browser);
    const sealed = browser.cookie(WEB_URL, name)!;
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    browser.setCookie(WEB_URL, name, flipped, '/api/auth/oauth');
    const page = await browser.get(callback);
    expectFailure(page, 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('tampered');
  });

  it('a tampered state parameter fails the flow', async () => {
    const browser = f.browser();
    const callback = new URL(await toCallback(browser, { login: person() }));
    callback.searchParams.set(
      'state',
      callback.searchParams.get('state')!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
    expectFailure(await browser.get(callback.toString()), 'oauth_state_invalid');
    // Each flow's cookie is named after its state: another state finds no cookie at all.
    expect((await lastFailure(f.api)).reason).toBe('missing');
  });

  it('a state from another browser fails the flow (login CSRF / code injection)', async () => {
    const victimCount = await usersCount();
    const attacker = f.browser();
    const attackerCallback = await toCallback(attacker, { login: person() });

    // The victim has no flow of their own...
    const victim = f.browser();
    expectFailure(await victim.get(attackerCallback), 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('missing');
    // ...or has one of their own in progress.
    const victim2 = f.browser();
    await toCallback(victim2, { login: person() });
    expectFailure(await victim2.get(attackerCallback), 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('missing');
    expect(await usersCount()).toBe(victimCount);
  });

  it('a replayed callback fails, even with the state cookie put back', async () => {
    const browser = f.browser();
    const callback = await toCallback(browser, { login: person() });
    const name = flowCookie(browser);
    const sealed = browser.cookie(WEB_URL, name)!;
    await expectSignedIn(browser, await browser.get(callback));
    browser.setCookie(WEB_URL, name, sealed, '/api/auth/oauth');
    expectFailure(await browser.get(callback), 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('replayed');
  });

  it('a state older than 10 minutes fails; one of 9 minutes still works', async () => {
    const key = f.api.ctx.keys.oauthState;
    const age = async (minutes: number) => {
      const browser = f.browser();
      const callback = await toCallback(browser, { login: person() });
      const name = flowCookie(browser);
      const opened = await openState(key, browser.cookie(WEB_URL, name)!, { provider: 'oidc', state: new URL(callback).searchParams.get('state') });
      if (!opened.ok) throw new Error(`the flow cookie did not open: ${opened.reason}`);
      const aged = await sealState(key, { ...opened.flow, issuedAt: opened.flow.issuedAt - minutes * 60_000 });
      browser.setCookie(WEB_URL, name, aged, '/api/auth/oauth');
      return { browser, page: await browser.get(callback) };
    };
    expectFailure((await age(10.5)).page, 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('expired');
    const fresh = await age(9);
    await expectSignedIn(fresh.browser, fresh.page);
  });
});

describe('the code and the ID token', () => {
  it('a replayed authorization code fails, in a fresh flow of its own', async () => {
    const browser = f.browser();
    const used = new URL(await toCallback(browser, { login: person() }));
    await expectSignedIn(browser, await browser.get(used.toString()));

    // The attacker starts a valid flow and slips the already-used code into its callback.
    const attacker = f.browser();
    const own = new URL(await toCallback(attacker, { login: person() }));
    own.searchParams.set('code', used.searchParams.get('code')!);
    expectFailure(await attacker.get(own.toString()), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/invalid_grant/);
  });

  it('an ID token with another nonce fails', async () => {
    const browser = f.browser();
    const callback = await toCallback(browser, {
      login: person(),
      editAuthorizeUrl: (url) => url.searchParams.set('nonce', 'a-nonce-this-browser-never-chose-123'),
    });
    expectFailure(await browser.get(callback), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/nonce/);
  });

  it('an ID token for another audience fails, even signed by the provider', async () => {
    f.tamper.tamper = (claims) => ({ ...claims, aud: 'some-other-client' });
    const browser = f.browser();
    expectFailure(await signInVia(browser, { login: person() }), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/aud/);
  });

  it('an ID token from another issuer fails', async () => {
    f.tamper.tamper = (claims) => ({ ...claims, iss: 'https://evil.example' });
    expectFailure(await signInVia(f.browser(), { login: person() }), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/iss/);
  });

  it('an expired ID token fails', async () => {
    const now = Math.floor(Date.now() / 1000);
    f.tamper.tamper = (claims) => ({ ...claims, iat: now - 600, exp: now - 300 });
    expectFailure(await signInVia(f.browser(), { login: person() }), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/exp/);
  });

  it('an ID token signed with a key that is not in the provider JWKS fails', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    // Same kid as the provider's key: only the signature check can tell.
    f.tamper.foreignKey = { ...(await exportJWK(privateKey)), kid: f.provider.signingJwk.kid, alg: 'RS256' };
    expectFailure(await signInVia(f.browser(), { login: person() }), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/signature/i);
  });

  it('the pass-through proxy alone changes nothing (the tests above fail for their own reason)', async () => {
    f.tamper.tamper = (claims) => claims;
    const browser = f.browser();
    await expectSignedIn(browser, await signInVia(browser, { login: person() }));
  });
});

describe('the provider says no', () => {
  it('access_denied (Cancel on the provider page) lands on the login page with its message code', async () => {
    const browser = f.browser();
    const page = await signInVia(browser, { login: person(), consent: 'deny' });
    expectFailure(page, 'oauth_access_denied');
  });

  it('an unreachable provider fails at the start with a clear code', async () => {
    const { startServer } = await import('@portcullis/testing/server');
    const api = await startServer({
      WEB_URL,
      OAUTH_ALLOW_INSECURE_REQUESTS: 'true',
      OIDC_ISSUER: 'http://127.0.0.1:9/',
      OIDC_CLIENT_ID: 'x',
      OIDC_CLIENT_SECRET: 'y',
    });
    try {
      const res = await fetch(`${api.url}/api/auth/oauth/oidc/authorize`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${WEB_URL}/login?error=oauth_provider_unavailable`);
    } finally {
      await api.close();
    }
  });
});
