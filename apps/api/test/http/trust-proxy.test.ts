import { describe, expect } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * The client address is the socket's unless TRUST_PROXY names the proxy the request came
 * through. X-Forwarded-For from anyone else is ignored: it cannot dodge a limit or forge the
 * address recorded on sessions and audit events.
 */

const direct = apiTest({ RATE_LIMIT_LOGIN_PER_IP: '3/1m' });
const behindProxy = apiTest({ RATE_LIMIT_LOGIN_PER_IP: '3/1m', TRUST_PROXY: '127.0.0.1, ::1' });
const otherProxy = apiTest({ RATE_LIMIT_LOGIN_PER_IP: '3/1m', TRUST_PROXY: '10.0.0.1' });

const loginFrom = (url: string, forwardedFor: string) => request(url, 'POST', '/api/auth/login', { body: {}, headers: { 'x-forwarded-for': forwardedFor } });

async function sessionIp(server: TestServer, forwardedFor: string): Promise<string> {
  const user = await registerUser(server.url, {}, { 'x-forwarded-for': forwardedFor });
  const res = await request(server.url, 'GET', '/api/auth/sessions', { headers: bearer(user.accessToken) });
  const [audit] = await server.query<{ ip: string }>(`select ip from audit_events where user_id = '${user.user.id}' and type = 'user.registered'`);
  expect(audit!.ip).toBe(res.body.sessions[0].ip);
  return res.body.sessions[0].ip;
}

describe('without TRUST_PROXY', () => {
  direct.beforeAll(startApi);

  direct('a spoofed X-Forwarded-For does not escape the per-address limit', async ({ server }) => {
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await loginFrom(server.url, ip)).status).toBe(400);
    expect((await loginFrom(server.url, '198.51.100.4')).status).toBe(429);
    expect((await request(server.url, 'POST', '/api/auth/login', { body: {} })).status).toBe(429);
  });

  direct('sessions and audit events record the socket address, not the header', async ({ server }) => {
    expect(await sessionIp(server, '203.0.113.66')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});

describe('with TRUST_PROXY naming the proxy', () => {
  behindProxy.beforeAll(startApi);

  behindProxy('limits each forwarded client on its own', async ({ server }) => {
    for (let i = 0; i < 3; i++) expect((await loginFrom(server.url, '198.51.100.7')).status).toBe(400);
    expect((await loginFrom(server.url, '198.51.100.7')).status).toBe(429);
    expect((await loginFrom(server.url, '198.51.100.8')).status).toBe(400);
  });

  behindProxy('records the forwarded address, and only the hop the proxy added', async ({ server }) => {
    expect(await sessionIp(server, '203.0.113.66')).toBe('203.0.113.66');
    // The client sent "X-Forwarded-For: 6.6.6.6"; the trusted proxy appended the real address.
    expect(await sessionIp(server, '6.6.6.6, 203.0.113.67')).toBe('203.0.113.67');
  });
});

describe('with TRUST_PROXY naming some other proxy', () => {
  otherProxy.beforeAll(startApi);

  otherProxy('ignores X-Forwarded-For from an address that is not that proxy', async ({ server }) => {
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await loginFrom(server.url, ip)).status).toBe(400);
    expect((await loginFrom(server.url, '198.51.100.4')).status).toBe(429);
    expect(await sessionIp(server, '203.0.113.66')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});
