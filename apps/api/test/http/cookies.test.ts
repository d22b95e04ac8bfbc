import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { EncryptJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCookie, readCookies } from '../../src/http/cookie.js';
import { refreshCookie, sessionCookie } from '../../src/http/cookies.js';
import { defineSealedCookie, seal, unseal } from '../../src/http/sealedCookie.js';

/** The cookie controller (http/cookie.ts) and the sealed cookie (http/sealedCookie.ts), without a server. */

const config = { COOKIE_SECURE: true, JWT_REFRESH_TTL: 7 * 24 * 3600_000 };
const key = randomBytes(32);
const scope = { config, keys: { oauthState: key } };

function response(): Response & { headers: string[] } {
  const headers: string[] = [];
  return { headers, append: (name: string, value: string) => (expect(name).toBe('Set-Cookie'), headers.push(value)) } as unknown as Response & {
    headers: string[];
  };
}
const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as Request;

describe('defineCookie', () => {
  const flow = defineCookie({ name: 'demo', path: '/api/demo', sameSite: 'lax', maxAge: 600 });

  it('sets with every attribute, and clears with the same ones and Max-Age=0', () => {
    const res = response();
    flow.set(scope, res, 'v1');
    flow.clear(scope, res);
    expect(res.headers).toEqual([
      'demo=v1; Max-Age=600; Path=/api/demo; HttpOnly; Secure; SameSite=Lax',
      'demo=; Max-Age=0; Path=/api/demo; HttpOnly; Secure; SameSite=Lax',
    ]);
  });

  it('Secure follows COOKIE_SECURE; HttpOnly only when not turned off', () => {
    const res = response();
    defineCookie({ name: 'open', path: '/', sameSite: 'strict', maxAge: 1, httpOnly: false }).set({ config: { ...config, COOKIE_SECURE: false } }, res, 'x');
    expect(res.headers).toEqual(['open=x; Max-Age=1; Path=/; SameSite=Strict']);
  });

  it('reads its own value; none for an absent, empty or malformed header', () => {
    expect(flow.read(request('other=1; demo=abc'))).toBe('abc');
    expect(flow.read(request('demo='))).toBeUndefined();
    expect(flow.read(request())).toBeUndefined();
    expect(flow.read(request('demo=%E0%A4%A'))).toBe('%E0%A4%A');
    expect(readCookies(request('a=1; b=2'))).toEqual({ a: '1', b: '2' });
  });

  it('the contract cookies keep their names and attributes (http-api.md)', () => {
    const res = response();
    refreshCookie.set(scope, res, 'r');
    sessionCookie.set(scope, res, 's');
    refreshCookie.clear(scope, res);
    sessionCookie.clear(scope, res);
    expect(res.headers).toEqual([
      'refresh_token=r; Max-Age=604800; Path=/api/auth; HttpOnly; Secure; SameSite=Strict',
      'portcullis_session=s; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Lax',
      'refresh_token=; Max-Age=0; Path=/api/auth; HttpOnly; Secure; SameSite=Strict',
      'portcullis_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax',
    ]);
  });
});

describe('sealed cookies', () => {
  const shape = z.object({ id: z.string() });
  const handoff = defineSealedCookie({ name: 'handoff', path: '/h', sameSite: 'strict', maxAge: 300, purpose: 'demo-handoff', shape });
  const other = defineSealedCookie({ name: 'other', path: '/o', sameSite: 'strict', maxAge: 300, purpose: 'demo-other', shape });
  const valueOf = (res: Response & { headers: string[] }) => res.headers[0]!.split(';')[0]!.split('=')[1]!;

  it('opens what it set, hiding the value from the browser', async () => {
    const res = response();
    await handoff.set(scope, res, { id: 'secret-id-1234' });
    expect(res.headers[0]).toMatch(/^handoff=[\w.-]+; Max-Age=300; Path=\/h; HttpOnly; Secure; SameSite=Strict$/);
    const sealed = valueOf(res);
    expect(sealed).not.toContain('secret-id');
    const opened = await handoff.open(scope, request(`handoff=${sealed}`));
    expect(opened).toMatchObject({ ok: true, value: { id: 'secret-id-1234' } });
    if (opened.ok) expect(Math.abs(opened.issuedAt - Date.now())).toBeLessThan(2000);
  });

  it('refuses a tampered value, another key, or none at all', async () => {
    const sealed = await handoff.seal(scope, { id: 'x' });
    const parts = sealed.split('.');
    for (const i of [0, 2, 3, 4]) {
      const part = parts[i]!;
      const flipped = [...parts];
      flipped[i] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
      expect(await handoff.unseal(scope, flipped.join('.')), `part ${i}`).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await handoff.unseal({ keys: { oauthState: randomBytes(32) } }, sealed)).toEqual({ ok: false, reason: 'invalid' });
    expect(await handoff.unseal(scope, 'not-a-jwe')).toEqual({ ok: false, reason: 'invalid' });
    expect(await handoff.open(scope, request())).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a cookie sealed for another purpose, under the same key', async () => {
    const sealed = await other.seal(scope, { id: 'x' });
    expect((await other.unseal(scope, sealed)).ok).toBe(true);
    expect(await handoff.unseal(scope, sealed)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses an expired one: past its lifetime, or issued beyond the tolerated skew in the future', async () => {
    const now = Date.now();
    const at = (secondsAgo: number) => handoff.seal(scope, { id: 'x' }, { issuedAt: now - secondsAgo * 1000 });
    expect((await handoff.unseal(scope, await at(299), now)).ok).toBe(true);
    expect((await handoff.unseal(scope, await at(300), now)).ok).toBe(true);
    expect(await handoff.unseal(scope, await at(302), now)).toEqual({ ok: false, reason: 'expired' });
    expect((await handoff.unseal(scope, await at(-59), now)).ok).toBe(true);
    expect(await handoff.unseal(scope, await at(-62), now)).toEqual({ ok: false, reason: 'expired' });
    // The same value, later: the clock alone decides.
    const fresh = await at(0);
    expect(await handoff.unseal(scope, fresh, now + 301_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a value without an expiry or a purpose, or whose claims do not fit the shape', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const make = (claims: Record<string, unknown>) => new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    expect(await handoff.unseal(scope, await make({ id: 'x', iat, aud: 'portcullis/demo-handoff' }))).toEqual({ ok: false, reason: 'invalid' });
    expect(await handoff.unseal(scope, await make({ id: 'x', iat, exp: iat + 300 }))).toEqual({ ok: false, reason: 'invalid' });
    expect(await handoff.unseal(scope, await make({ id: 7, iat, exp: iat + 300, aud: 'portcullis/demo-handoff' }))).toEqual({ ok: false, reason: 'invalid' });
    expect((await handoff.unseal(scope, await make({ id: 'x', iat, exp: iat + 300, aud: 'portcullis/demo-handoff' }))).ok).toBe(true);
  });

  it('the low-level seal/unseal agree with the controller', async () => {
    const sealed = await seal(key, 'demo-handoff', 300, { id: 'y' });
    expect(await unseal(key, 'demo-handoff', 300, shape, sealed)).toMatchObject({ ok: true, value: { id: 'y' } });
    expect((await handoff.unseal(scope, sealed)).ok).toBe(true);
  });
});
