import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsedStates } from '../../src/services/oauth/usedStates.js';
import { MAX_FLOWS } from '../../src/http/oauth/stateCookie.js';
import { randomToken } from '../../src/services/secrets.js';
import { bearer, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { previousStepCode } from '@portcullis/testing/totp';
import { Browser } from './helpers/browser.js';
import {
  browserUser,
  expectFailure,
  expectSignedIn,
  flowCookie,
  flowCookies,
  lastFailure,
  signInVia,
  startOAuthFixture,
  toCallback,
  WEB_URL,
  type OAuthFixture,
} from './helpers/fixture.js';

/**
 * Issue 10, item 6: the MFA hand-off is single-use on the server; used `state` markers are shared
 * by every instance (the database without Redis); one flow cookie per flow.
 */

const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`;

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('the MFA hand-off after a provider sign-in', () => {
  it('opens once: a copy of its cookie replayed later is refused', async () => {
    const holder = await browserUser(f);
    const setup = await request(f.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(holder.accessToken) });
    const enable = await request(f.api.url, 'POST', '/api/auth/mfa/totp/enable', {
      body: { code: await previousStepCode(setup.body.secret), password: holder.password },
      headers: bearer(holder.accessToken),
    });
    expect(enable.status).toBe(200);

    const browser = f.browser();
    expect((await signInVia(browser, { provider: 'google', login: f.account({ email: holder.email, email_verified: true }) })).location).toBe(
      `${WEB_URL}/login?mfa=oauth`,
    );
    const copied = browser.cookie(WEB_URL, 'portcullis_oauth_mfa')!;
    const first = await browser.request('POST', `${WEB_URL}/api/auth/oauth/mfa`, { headers: { origin: WEB_URL } });
    expect(first.status).toBe(200);

    // The browser cleared it; whoever copied it puts it back (or sends it from elsewhere).
    const replayer = f.browser();
    replayer.setCookie(WEB_URL, 'portcullis_oauth_mfa', copied, '/api/auth/oauth/mfa');
    const replay = await replayer.request('POST', `${WEB_URL}/api/auth/oauth/mfa`, { headers: { origin: WEB_URL } });
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.text).error.code).toBe('INVALID_TOKEN');
    const [marker] = await f.api.query<{ n: number }>(`select count(*)::int as n from used_tokens where purpose = 'oauth_mfa_handoff'`);
    expect(marker!.n).toBeGreaterThanOrEqual(1);
  });
});

describe('used states are shared, not kept in one process', () => {
  it('without Redis, a second instance of the marker store sees a state the first one claimed (the database)', async () => {
    const state = randomToken();
    expect(await new UsedStates(f.api.ctx.db, undefined).claim(state)).toBe(true);
    expect(await new UsedStates(f.api.ctx.db, undefined).claim(state)).toBe(false);
    const [row] = await f.api.query<{ purpose: string }>(`select purpose from used_tokens where purpose = 'oauth_state' limit 1`);
    expect(row!.purpose).toBe('oauth_state');
  });

  describe.skipIf(!process.env.DATABASE_URL)('two API instances on one PostgreSQL, no Redis (needs DATABASE_URL: PGlite is one process only)', () => {
    let a: OAuthFixture;
    let b: TestServer;
    beforeAll(async () => {
      a = await startOAuthFixture({ REDIS_URL: '' });
      b = await startServer({ ...a.api.env });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('a callback replayed on the other instance is refused as replayed', async () => {
      const browser = a.browser();
      const callback = await toCallback(browser, { login: a.account({ email: unique('twice'), email_verified: true }) });
      const name = flowCookie(browser);
      const sealed = browser.cookie(WEB_URL, name)!;
      await expectSignedIn(browser, await browser.get(callback));

      const other = new Browser(WEB_URL, b.url);
      other.setCookie(WEB_URL, name, sealed, '/api/auth/oauth');
      expectFailure(await other.get(callback), 'oauth_state_invalid');
      const [row] = await b.query<{ details: Record<string, string> }>(
        `select details from audit_events where type = 'login.failed' order by created_at desc limit 1`,
      );
      expect(row!.details.reason).toBe('replayed');
    });
  });
});

describe('one flow cookie per flow', () => {
  it('two sign-ins started in one browser (two tabs) both complete', async () => {
    const browser = f.browser();
    const first = await toCallback(browser, { login: f.account({ email: unique('tab1'), email_verified: true }) });
    const second = await toCallback(browser, { login: f.account({ email: unique('tab2'), email_verified: true }) });
    expect(flowCookies(browser)).toHaveLength(2);
    await expectSignedIn(browser, await browser.get(first));
    expect(flowCookies(browser)).toHaveLength(1);
    await expectSignedIn(browser, await browser.get(second));
    expect(flowCookies(browser)).toEqual([]);
  });

  it("a flow's cookie put under another flow's name does not open that flow", async () => {
    const browser = f.browser();
    await toCallback(browser, { login: f.account({ email: unique('a'), email_verified: true }) });
    const [first] = flowCookies(browser);
    const second = await toCallback(browser, { login: f.account({ email: unique('b'), email_verified: true }) });
    const secondName = flowCookies(browser).find((name) => name !== first)!;
    browser.setCookie(WEB_URL, secondName, browser.cookie(WEB_URL, first!)!, '/api/auth/oauth');
    expectFailure(await browser.get(second), 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('state_mismatch');
  });

  it(`at most ${MAX_FLOWS} flows at once: the oldest go, the newest completes`, async () => {
    const browser = f.browser();
    const login = f.account({ email: unique('many'), email_verified: true });
    const callbacks: string[] = [];
    for (let i = 0; i < MAX_FLOWS + 2; i += 1) callbacks.push(await toCallback(browser, { login }));
    expect(flowCookies(browser)).toHaveLength(MAX_FLOWS);
    expectFailure(await browser.get(callbacks[0]!), 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('missing');
    await expectSignedIn(browser, await browser.get(callbacks.at(-1)!));
  });
});
