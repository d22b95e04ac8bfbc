import net from 'node:net';
import { describe, expect } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { startServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest(CORE_ENV);

/**
 * Limits at the HTTP layer (issue 17, items 6 and 11): a body announced over 16 KiB is refused
 * on its header without waiting for it; a client too slow with its headers gets 408, not 400;
 * connections past MAX_CONNECTIONS get a 503 with Retry-After straight away, and the instance
 * serves again as soon as some close.
 */

interface RawAnswer {
  head: string;
  body: string;
  /** Whether the server closed the connection after answering. */
  closed: boolean;
  ms: number;
}

/** Writes `text` on a fresh connection and reads until the server closes it (or `waitMs`). */
function raw(url: string, text: string, waitMs = 10_000): Promise<RawAnswer> {
  const { port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let data = '';
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ head, body, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.once('end', () => finish(true));
    socket.once('error', (error) => (data ? finish(true) : reject(error)));
    socket.once('connect', () => socket.write(text));
  });
}

describe('HTTP limits', () => {
  test.beforeAll(startApi);

  test('refuses a body announced as 1 GiB on its header with 413 PAYLOAD_TOO_LARGE, and closes the connection', async ({ server }) => {
    const answer = await raw(
      server.url,
      'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n',
    );
    expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.head).toMatch(/connection: close/i);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' }, requestId: expect.any(String) });
    // The server did not wait for the body that never comes: it answered and hung up.
    expect(answer.closed).toBe(true);
  });

  test('refuses just over 16 KiB announced the same way, on any route', async ({ server }) => {
    const answer = await raw(
      server.url,
      'POST /api/auth/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 16385\r\n\r\n{',
    );
    expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.closed).toBe(true);
  });
});

describe('a client too slow with its headers', () => {
  test('gets 408 Request Timeout in the contract error shape', async () => {
    const server = await startServer({ ...CORE_ENV });
    // Node checks its header timers every connectionsCheckingInterval (30 s by default); the test
    // shortens both on this one server so it takes about a second.
    try {
      server.http.headersTimeout = 300;
      server.http.requestTimeout = 300;
      const answer = await raw(server.url, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 20_000);
      expect(answer.head).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'VALIDATION_FAILED' }, requestId: expect.any(String) });
      expect(answer.closed).toBe(true);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('MAX_CONNECTIONS', () => {
  test('answers a connection over the cap with 503 and Retry-After at once, and serves again when one closes', async () => {
    const server = await startServer({ ...CORE_ENV, MAX_CONNECTIONS: '5' });
    const { port } = new URL(server.url);
    const idle: net.Socket[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const socket = net.connect(Number(port), '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        idle.push(socket);
      }
      // Let the server register all five before the sixth arrives.
      await new Promise((r) => setTimeout(r, 200));
      const refused = await raw(server.url, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      expect(refused.head).toMatch(/^HTTP\/1\.1 503 /);
      expect(refused.head).toMatch(/retry-after: \d+/i);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
      expect(refused.closed).toBe(true);

      idle.pop()!.destroy();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        const answer = await raw(server.url, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
        status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer.head)?.[1] ?? 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
      await server.close();
    }
  }, 120_000);
});
