import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '@portcullis/testing/http';
import { authorizeUrl, expectFailure, expectSignedIn, GITHUB_CLIENT, lastFailure, startOAuthFixture, type OAuthFixture } from './helpers/fixture.js';
import type { GitHubUser } from './helpers/githubStub.js';
import type { Browser } from './helpers/browser.js';

/** GitHub: OAuth 2.0 plus its REST API, against a stand-in that answers in GitHub's documented shapes. */

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterEach(() => {
  f.github.signInAs = undefined;
  f.github.deny = false;
});
afterAll(async () => {
  await f?.close();
});

let nextId = 1000;
const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@users.example`;
const ghUser = (emails: GitHubUser['emails'], name: string | null = 'The Octocat'): GitHubUser => ({ id: (nextId += 1), login: `octo${nextId}`, name, emails });

/** authorize → GitHub (auto-approves as signInAs) → callback; returns the callback answer. */
async function viaGitHub(browser: Browser, redirect?: string) {
  const start = await browser.get(authorizeUrl('github', redirect));
  expect(start.status).toBe(302);
  const atGitHub = await browser.get(start.location!);
  expect(atGitHub.status).toBe(302);
  return { start, callbackUrl: atGitHub.location!, page: await browser.get(atGitHub.location!) };
}

describe('GitHub sign-in', () => {
  it('signs in with the primary verified email, PKCE S256 and the secret in the token request', async () => {
    const email = unique('octo');
    f.github.signInAs = ghUser([
      { email: unique('secondary'), primary: false, verified: true, visibility: null },
      { email, primary: true, verified: true, visibility: 'public' },
    ]);
    const browser = f.browser();
    const { start, page } = await viaGitHub(browser, '/projects');
    const authorize = new URL(start.location!).searchParams;
    expect(authorize.get('client_id')).toBe(GITHUB_CLIENT.clientId);
    expect(authorize.get('scope')).toBe('read:user user:email');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('nonce')).toBeNull();

    const user = await expectSignedIn(browser, page, '/projects');
    expect(user).toMatchObject({ email, emailVerified: true, displayName: 'The Octocat' });
    const token = f.github.tokenRequests.at(-1)!;
    expect(token.get('grant_type')).toBe('authorization_code');
    expect(token.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const [link] = await f.api.query(`select provider, subject from oauth_accounts where user_id = '${user.id}'`);
    expect(link).toEqual({ provider: 'github', subject: String(f.github.signInAs.id) });
  });

  it('an unverified primary email does not link to the matching user', async () => {
    const local = await registerUser(f.api.url, { email: unique('local') });
    await f.api.query(`update users set email_verified_at = now() where id = '${local.user.id}'`);
    f.github.signInAs = ghUser([{ email: local.email, primary: true, verified: false, visibility: 'public' }]);
    const { page } = await viaGitHub(f.browser());
    expectFailure(page, 'oauth_email_unverified_conflict');
    const rows = await f.api.query(`select 1 from oauth_accounts where user_id = '${local.user.id}'`);
    expect(rows).toEqual([]);
  });

  it('takes only the primary email: a verified secondary one neither links nor counts as verified', async () => {
    const local = await registerUser(f.api.url, { email: unique('secondary') });
    await f.api.query(`update users set email_verified_at = now() where id = '${local.user.id}'`);
    const primary = unique('primary');
    f.github.signInAs = ghUser(
      [
        { email: primary, primary: true, verified: false, visibility: null },
        { email: local.email, primary: false, verified: true, visibility: null },
      ],
      null,
    );
    const browser = f.browser();
    const user = await expectSignedIn(browser, (await viaGitHub(browser)).page);
    expect(user).toMatchObject({ email: primary, emailVerified: false });
    expect(user.id).not.toBe(local.user.id);
    // No name on GitHub: the login is the display name.
    const [row] = await f.api.query<{ display_name: string }>(`select display_name from users where id = '${user.id}'`);
    expect(row!.display_name).toBe(f.github.signInAs.login);
  });

  it('denied consent lands on the login page with oauth_access_denied', async () => {
    f.github.deny = true;
    expectFailure((await viaGitHub(f.browser())).page, 'oauth_access_denied');
  });

  it("a replayed code fails at GitHub's token endpoint (its 200-with-error answer is an error)", async () => {
    f.github.signInAs = ghUser([{ email: unique('replay'), primary: true, verified: true, visibility: null }]);
    const browser = f.browser();
    const first = await viaGitHub(browser);
    await expectSignedIn(browser, first.page);
    const attacker = f.browser();
    // A fresh flow of the attacker's, with the used code slipped in.
    const start = await attacker.get(authorizeUrl('github'));
    const callback = new URL((await attacker.get(start.location!)).location!);
    callback.searchParams.set('code', new URL(first.callbackUrl).searchParams.get('code')!);
    expectFailure(await attacker.get(callback.toString()), 'oauth_exchange_failed');
    expect((await lastFailure(f.api)).reason).toMatch(/bad_verification_code/);
  });
});
