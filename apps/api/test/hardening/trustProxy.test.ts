import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';

/**
 * The client address is the socket's unless TRUST_PROXY names the proxy the request came
 * through. X-Forwarded-For from anyone else is ignored: it cannot dodge a limit or forge the
 * address recorded on sessions and audit events.
 */

const loginFrom = (url: string, forwardedFor: string) =>
  request(url, 'POST', '/api/auth/login', { body: {}, headers: { 'x-forwarded-for': forwardedFor } });

async function sessionIp(server: TestServer, forwardedFor: string): Promise<string> {
  const user = await registerUser(server.url, {}, { 'x-forwarded-for': forwardedFor });
  const res = await request(server.url, 'GET', '/api/auth/sessions', { headers: bearer(user.accessToken) });
  const [audit] = await server.query<{ ip: string }>(`select ip from audit_events where user_id = '${user.user.id}' and type = 'user.registered'`);
  expect(audit!.ip).toBe(res.body.sessions[0].ip);
  return res.body.sessions[0].ip;
}

describe('without TRUST_PROXY', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_LOGIN_PER_IP: '3/1m' });
  });
  afterAll(() => server.close());

  it('a spoofed X-Forwarded-For does not escape the per-address limit', async () => {
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await loginFrom(server.url, ip)).status).toBe(400);
    expect((await loginFrom(server.url, '198.51.100.4')).status).toBe(429);
    expect((await request(server.url, 'POST', '/api/auth/login', { body: {} })).status).toBe(429);
  });

  it('sessions and audit events record the socket address, not the header', async () => {
    expect(await sessionIp(server, '203.0.113.66')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});

describe('with TRUST_PROXY naming the proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_LOGIN_PER_IP: '3/1m', TRUST_PROXY: '127.0.0.1, ::1' });
  });
  afterAll(() => server.close());

  it('limits each forwarded client on its own', async () => {
    for (let i = 0; i < 3; i++) expect((await loginFrom(server.url, '198.51.100.7')).status).toBe(400);
    expect((await loginFrom(server.url, '198.51.100.7')).status).toBe(429);
    expect((await loginFrom(server.url, '198.51.100.8')).status).toBe(400);
  });

  it('records the forwarded address, and only the hop the proxy added', async () => {
    expect(await sessionIp(server, '203.0.113.66')).toBe('203.0.113.66');
    // The client sent "X-Forwarded-For: 6.6.6.6"; the trusted proxy appended the real address.
    expect(await sessionIp(server, '6.6.6.6, 203.0.113.67')).toBe('203.0.113.67');
  });
});

describe('with TRUST_PROXY naming some other proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_LOGIN_PER_IP: '3/1m', TRUST_PROXY: '10.0.0.1' });
  });
  afterAll(() => server.close());

  it('ignores X-Forwarded-For from an address that is not that proxy', async () => {
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await loginFrom(server.url, ip)).status).toBe(400);
    expect((await loginFrom(server.url, '198.51.100.4')).status).toBe(429);
    expect(await sessionIp(server, '203.0.113.66')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
