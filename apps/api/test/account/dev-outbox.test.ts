import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { isLoopbackAddress } from '../../src/http/loopback.js';
import { registerUser, request, uniqueEmail } from '@portcullis/testing/http';
import { startServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { startMailbox, type TestMailbox } from '@portcullis/testing/smtp';

/**
 * The development outbox holds reset links: whoever reads it can take any account (forgot
 * password, read the link, reset). It is served only without SMTP_URL, outside production, and
 * only to a client on this machine; everyone else gets the 404 of a route that does not exist.
 */

const outbox = (url: string, headers: Record<string, string> = {}) => request(url, 'GET', '/api/dev/outbox', { headers });
const expectNoRoute = (res: Awaited<ReturnType<typeof outbox>>) => {
  expect(res.status).toBe(404);
  expect(res.body.error.code).toBe('NOT_FOUND');
  expect(res.body.messages).toBeUndefined();
};

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1', ' 127.0.0.1 '])('%j is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });
  it.each([
    '192.0.2.2',
    '10.0.0.1',
    '::ffff:192.0.2.2',
    'fd00::2',
    '0.0.0.0',
    '::',
    '128.0.0.1',
    'localhost',
    '127.0.0.1:4000',
    '[::1]',
    'unknown',
    '',
    undefined,
    null,
  ])('%j is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});

const behindProxyTest = apiTest({ TRUST_PROXY: 'loopback' });

describe('GET /api/dev/outbox behind the web proxy (TRUST_PROXY=loopback, as npm start runs it)', () => {
  behindProxyTest.beforeAll(async ({ server }) => {
    await registerUser(server.url);
  });

  behindProxyTest('serves a browser on this machine, directly or relayed by the proxy', async ({ server }) => {
    for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }, { 'x-forwarded-for': '::1' }, { 'x-forwarded-for': '::ffff:127.0.0.1' }] as Record<
      string,
      string
    >[]) {
      const res = await outbox(server.url, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.body.messages.length).toBeGreaterThan(0);
    }
  });

  behindProxyTest('answers 404 to a remote client relayed by the proxy (X-Forwarded-For names it)', async ({ server }) => {
    expectNoRoute(await outbox(server.url, { 'x-forwarded-for': '203.0.113.9' }));
    expectNoRoute(await outbox(server.url, { 'x-forwarded-for': '203.0.113.9, 127.0.0.1' }));
    expectNoRoute(await outbox(server.url, { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' }));
  });
});

const directTest = apiTest();

describe('GET /api/dev/outbox with TRUST_PROXY unset', () => {
  directTest.beforeAll(startApi);

  directTest('a proxy the API was not told about still cannot relay a remote client to it', async ({ server }) => {
    expect((await outbox(server.url)).status).toBe(200);
    // req.ip is the (loopback) proxy here, but the proxy said whom it forwarded for.
    expectNoRoute(await outbox(server.url, { 'x-forwarded-for': '203.0.113.9' }));
    expectNoRoute(await outbox(server.url, { 'x-real-ip': '203.0.113.9' }));
    expectNoRoute(await outbox(server.url, { forwarded: 'for=203.0.113.9' }));
  });

  // The socket's own peer address: the same app, also listening on this machine's network
  // address, reached through it (skipped on a machine with no such address).
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  directTest.skipIf(!external)('answers 404 to a client whose connection does not come from loopback', async ({ server }) => {
    const second: Server = createServer(createApp(server.ctx));
    await new Promise<void>((resolve) => second.listen(0, external, resolve));
    try {
      const url = `http://${external}:${(second.address() as AddressInfo).port}`;
      expectNoRoute(await outbox(url));
      // The same listener answers other routes: only the outbox is refused.
      expect((await request(url, 'GET', '/.well-known/jwks.json')).status).toBe(200);
    } finally {
      await new Promise((resolve) => second.close(resolve));
    }
  });
});

describe('GET /api/dev/outbox does not exist', () => {
  let mailbox: TestMailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
  });
  afterAll(() => mailbox.close());

  it('when SMTP_URL is set, and a delivered body is not kept', { timeout: 120_000 }, async () => {
    const server = await startServer({ SMTP_URL: mailbox.url });
    try {
      const user = await registerUser(server.url);
      await mailbox.waitFor(user.email, /verify/i);
      expectNoRoute(await outbox(server.url));
      await expect
        .poll(
          async () =>
            server.query<{ text: string; html: string; sent_at: unknown }>(`select text, html, sent_at from mail_messages where "to" = '${user.email}'`),
          { timeout: 5_000 },
        )
        .toEqual([{ text: '', html: '', sent_at: expect.anything() }]);
    } finally {
      await server.close();
    }
  });

  it('in production', { timeout: 120_000 }, async () => {
    const server = await startServer({ NODE_ENV: 'production', COOKIE_SECURE: 'true' });
    try {
      await registerUser(server.url, { email: uniqueEmail('prod') });
      expectNoRoute(await outbox(server.url));
    } finally {
      await server.close();
    }
  });
});
