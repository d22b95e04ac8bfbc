import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { TEST_SECRET_KEY } from '@portcullis/testing/server';

/**
 * What the request log says (ASVS V7): every refusal with its code, request id and, when known,
 * the user; never a password, token or cookie.
 */

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let running: RunningServer;
let url: string;

beforeAll(async () => {
  const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: TEST_SECRET_KEY, DATA_DIR: 'memory://', JWT_ISSUER: 'http://portcullis.test', RATE_LIMITS: 'off' });
  running = await startServer(config, { logger: pino({ level: 'info' }, sink), port: 0, host: '127.0.0.1' });
  url = running.url;
});
afterAll(() => running.close());

const lineFor = (requestId: string) => lines.find((l) => l.requestId === requestId && l.msg === 'request');

describe('request log', () => {
  it('logs every refused authentication and access-control decision with its code and the user', async () => {
    const alice = await registerUser(url);
    const wrong = await request(url, 'POST', '/api/auth/login', { body: { email: alice.email, password: 'Wrong-Password-1' } });
    const forged = await request(url, 'GET', '/api/auth/me', { headers: bearer('abc.def.ghi') });
    const forbidden = await request(url, 'GET', '/api/admin/users', { headers: bearer(alice.accessToken) });
    const csrf = await request(url, 'POST', '/api/auth/refresh', {
      headers: { cookie: `refresh_token=${alice.refreshToken}`, origin: 'https://evil.example' },
    });
    // The request line is written when the response has finished, which a busy machine can put
    // after the client already has the answer: wait for the lines (up to 10 s), not a fixed 50 ms.
    // A line that is never written still fails here.
    await expect.poll(() => [wrong, forged, forbidden, csrf].every((res) => lineFor(res.body.requestId)), { timeout: 10_000 }).toBe(true);

    expect(lineFor(wrong.body.requestId)).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', path: '/api/auth/login' });
    expect(lineFor(forged.body.requestId)).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(lineFor(forbidden.body.requestId)).toMatchObject({ status: 403, code: 'FORBIDDEN', userId: alice.user.id });
    expect(lineFor(csrf.body.requestId)).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
  });

  it('never contains a password, token or cookie', async () => {
    const bob = await registerUser(url, { password: 'Unique-Log-Canary-77!' });
    await request(url, 'POST', '/api/auth/login', { body: { email: bob.email, password: 'Unique-Log-Canary-77!' } });
    await request(url, 'GET', `/api/auth/me?token=${bob.accessToken}`, { headers: bearer(bob.accessToken) });
    await request(url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${bob.refreshToken}` } });
    const last = await request(url, 'POST', '/api/auth/login', { body: { email: bob.email, password: STRONG_PASSWORD } });
    // Every line is in before looking for secrets in them: the last request's line (up to 10 s),
    // rather than a fixed 50 ms that a busy machine can outlast with lines still to come.
    await expect.poll(() => lineFor(last.headers.get('x-request-id')!), { timeout: 10_000 }).toBeDefined();
    const all = JSON.stringify(lines);
    expect(all).not.toContain('Unique-Log-Canary-77!');
    expect(all).not.toContain(bob.accessToken.split('.')[2]);
    expect(all).not.toContain(bob.refreshToken);
    expect(lines.length).toBeGreaterThan(5);
  });
});
