import { describe, expect, it } from 'vitest';
import type { AccessClaims } from '../../src/services/accessTokens.js';
import { VerifiedTokens } from '../../src/services/verifiedTokens.js';

/**
 * The server's cache of verified access tokens (services/verifiedTokens.ts). Through HTTP, the
 * refusals of a token seen before are in token-attacks.test.ts (the victim's real token is used
 * first, then its padded or re-encoded spellings are refused) and tokens.test.ts (a token used
 * during its lifetime is TOKEN_EXPIRED after it).
 */
describe('VerifiedTokens', () => {
  const nowS = Math.floor(Date.now() / 1000);
  const claims = (exp: number): AccessClaims => ({ sub: 's', sid: 'x', role: 'user', iat: nowS, exp, jti: 'j' });

  it('answers only the exact string it stored, with frozen claims', () => {
    const cache = new VerifiedTokens(10, 2);
    cache.remember('a.b.c', claims(nowS + 60));
    const hit = cache.lookup('a.b.c');
    expect(hit).toMatchObject({ sub: 's', exp: nowS + 60 });
    expect(Object.isFrozen(hit)).toBe(true);
    expect(cache.lookup('a.b.c=')).toBeUndefined();
    expect(cache.lookup('a.b.C')).toBeUndefined();
  });

  it('refuses a stored token as expired at exp, with the same tolerance as jose', () => {
    const cache = new VerifiedTokens(10, 2);
    const exp = nowS + 10;
    cache.remember('t', claims(exp));
    expect(cache.lookup('t', (exp + 1) * 1000 + 999)).not.toBe('expired');
    expect(cache.lookup('t', (exp + 2) * 1000)).toBe('expired');
    // Refused once, it is gone: the next look-up verifies it again (and jose refuses it).
    expect(cache.lookup('t', (exp + 2) * 1000)).toBeUndefined();
  });

  it('keeps at most max entries, and none with max 0', () => {
    const cache = new VerifiedTokens(2, 2);
    for (const t of ['1', '2', '3']) cache.remember(t, claims(nowS + 60));
    expect([cache.lookup('1'), cache.lookup('2'), cache.lookup('3')].map(Boolean)).toEqual([false, true, true]);
    const off = new VerifiedTokens(0, 2);
    off.remember('1', claims(nowS + 60));
    expect(off.size).toBe(0);
  });
});
