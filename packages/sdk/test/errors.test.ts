import { describe, expect, it } from 'vitest';
import { AuthError, createAuthClient, isAuthError } from '../src/index.js';
import { errorFromResponse } from '../src/errors.js';
import { json } from './helpers/fake-api.js';

describe('AuthError mapping', () => {
  it('reads the contract error shape', async () => {
    const res = json(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Some fields are invalid',
        details: [{ field: 'password', message: 'too short' }],
      },
      requestId: 'req-42',
    });
    const err = await errorFromResponse(res);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AuthError');
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('Some fields are invalid');
    expect(err.details).toEqual([{ field: 'password', message: 'too short' }]);
    expect(err.requestId).toBe('req-42');
  });

  it('keeps Retry-After of a 429', async () => {
    const res = json(429, { error: { code: 'RATE_LIMITED', message: 'Slow down' }, requestId: 'r' }, { 'retry-after': '30' });
    const err = await errorFromResponse(res);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryAfterSec).toBe(30);
  });

  it('falls back on the status when the body is not the contract shape', async () => {
    const res = new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'edge-1' } });
    const err = await errorFromResponse(res);
    expect(err.status).toBe(502);
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect(err.details).toEqual([]);
    expect(err.requestId).toBe('edge-1');
    expect((await errorFromResponse(new Response(null, { status: 500 }))).code).toBe('INTERNAL');
    expect((await errorFromResponse(new Response(null, { status: 418 }))).code).toBe('HTTP_ERROR');
  });

  it('client calls throw AuthError with the API code', async () => {
    const client = createAuthClient({
      baseUrl: 'http://api.test',
      fetch: async () => json(409, { error: { code: 'EMAIL_TAKEN', message: 'That email is taken' }, requestId: 'req-7' }),
    });
    const err = await client.register({ email: 'a@b.c', password: 'x', displayName: 'A' }).catch((e: unknown) => e);
    expect(isAuthError(err)).toBe(true);
    expect(err).toMatchObject({ status: 409, code: 'EMAIL_TAKEN', requestId: 'req-7' });
  });

  it('a network failure becomes NETWORK_ERROR with status 0', async () => {
    const client = createAuthClient({
      baseUrl: 'http://api.test',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const err = await client.login({ email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect((err as AuthError).cause).toBeInstanceOf(TypeError);
  });

  it("a caller's abort is passed through unchanged", async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const client = createAuthClient({
      baseUrl: 'http://api.test',
      fetch: async () => {
        throw abort;
      },
    });
    await expect(client.fetch('/api/projects')).rejects.toBe(abort);
  });

  it('refuses absolute URLs so the bearer token never leaves the API origin', async () => {
    const client = createAuthClient({ baseUrl: 'http://api.test', fetch: async () => json(200, {}) });
    await expect(client.fetch('https://evil.example/steal')).rejects.toThrow(TypeError);
    await expect(client.fetch('//evil.example/steal')).rejects.toThrow(TypeError);
  });
});
