import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSignedIn, signInVia, startOAuthFixture, type OAuthFixture } from './helpers/fixture.js';

/**
 * A provider's name for a person becomes their display name. The provider is not asked again,
 * so a name with direction overrides or invisible characters is cleaned (services/shownText.ts),
 * where the same name typed into a form would be refused.
 */

describe('display names from an identity provider', () => {
  let f: OAuthFixture;
  beforeAll(async () => {
    f = await startOAuthFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('lose controls, direction overrides and zero-width characters', async () => {
    const email = `named.${Date.now()}@acme.example`;
    const login = f.account({ email, email_verified: true, name: '\u200BMallory\u202Egnp.exe\u2066\nSmith\u200D' });
    const browser = f.browser();
    const user = await expectSignedIn(browser, await signInVia(browser, { login }));
    expect(user).toMatchObject({ displayName: 'Mallorygnp.exe Smith' });
  });

  it('fall back to the address’s local part when nothing visible is left', async () => {
    const email = `blank.${Date.now()}@acme.example`;
    const login = f.account({ email, email_verified: true, name: '\u202E\u200B\uFEFF' });
    const browser = f.browser();
    const user = await expectSignedIn(browser, await signInVia(browser, { login }));
    expect(user).toMatchObject({ displayName: email.split('@')[0] });
  });
});
