import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { errorHandler } from '../../src/http/middleware/errorHandler.js';
import { requestLogging } from '../../src/http/middleware/logging.js';
import { requestId } from '../../src/http/middleware/requestId.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { CORE_ENV } from '@portcullis/testing/core';
import { bearer, cookieValue, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { TEST_SECRET_KEY } from '@portcullis/testing/server';

/** Logs: JSON lines that carry the request id, and never a password or a token. */
describe('request logging', () => {
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  let running: RunningServer;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        raw += chunk.toString();
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig({ ...CORE_ENV, NODE_ENV: 'test', SECRET_KEY: TEST_SECRET_KEY, DATA_DIR: 'memory://', JWT_ISSUER: 'http://portcullis.test' });
    // The harness's DATABASE_URL, if any, is not needed here: what is logged does not depend on it.
    running = await startServer(config, { port: 0, host: '127.0.0.1', logger: pino({ level: 'info' }, sink) });
  });
  afterAll(() => running?.close());

  it('writes one line per request with its id, and never the password or a token', async () => {
    const email = uniqueEmail('log');
    const reg = await request(running.url, 'POST', '/api/auth/register', {
      body: { email, password: STRONG_PASSWORD, displayName: 'Log' },
      headers: { 'x-request-id': 'log-req-1' },
    });
    expect(reg.status).toBe(201);
    const refreshToken = cookieValue(reg.cookies, 'refresh_token')!;
    const refreshed = await request(running.url, 'POST', '/api/auth/refresh', {
      headers: { cookie: `refresh_token=${refreshToken}`, 'x-request-id': 'log-req-2' },
    });
    await request(running.url, 'GET', `/api/auth/me?access_token=${reg.body.accessToken}`, {
      headers: { ...bearer(reg.body.accessToken), 'x-request-id': 'log-req-3' },
    });
    await request(running.url, 'POST', '/api/auth/login', { body: { email, password: 'Wrong-Password-1' }, headers: { 'x-request-id': 'log-req-4' } });
    // Each line is written when its response has finished, which a busy machine can put after the
    // client has the answer: wait for all four (up to 10 s) rather than a fixed 50 ms. A line that
    // is never written still fails below.
    const ids = ['log-req-1', 'log-req-2', 'log-req-3', 'log-req-4'];
    await expect.poll(() => ids.every((id) => lines.some((l) => l.requestId === id && l.msg === 'request')), { timeout: 10_000 }).toBe(true);

    for (const id of ids) {
      const line = lines.find((l) => l.requestId === id && l.msg === 'request');
      expect(line, id).toBeDefined();
      expect(line).toMatchObject({ method: expect.any(String), status: expect.any(Number), ms: expect.any(Number) });
    }
    expect(lines.find((l) => l.requestId === 'log-req-3')!.path).toBe('/api/auth/me');
    for (const secret of [
      STRONG_PASSWORD,
      'Wrong-Password-1',
      refreshToken,
      cookieValue(refreshed.cookies, 'refresh_token')!,
      reg.body.accessToken,
      refreshed.body.accessToken,
    ]) {
      expect(raw).not.toContain(secret);
    }
  });
});

describe('unexpected errors', () => {
  it('answer 500 INTERNAL in the error shape without the message or stack, and log the stack', async () => {
    let logged = '';
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => void ((logged += chunk.toString()), done()) }));
    // The real middleware around a route with a bug, as app.ts chains them.
    const app = express();
    app.use(requestId(), requestLogging(logger));
    app.get('/boom', () => {
      throw new Error('relation "users" does not exist: select password_hash from users');
    });
    app.use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await request(url, 'GET', '/boom', { headers: { 'x-request-id': 'boom-1' } });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) }, requestId: 'boom-1' });
      expect(JSON.stringify(res.body)).not.toMatch(/users|select|\.ts/);
      const line = logged
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'unexpected error');
      expect(line).toMatchObject({ requestId: 'boom-1', level: 50 });
      expect(line.err.stack).toMatch(/relation "users"[\s\S]*logging\.test\.ts/);
    } finally {
      server.close();
    }
  });
});
