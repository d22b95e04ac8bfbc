import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { STRONG_PASSWORD, request, uniqueEmail } from '@portcullis/testing/http';
import { startServer } from '@portcullis/testing/server';
import { freshPostgresDatabase, spawnApi, waitUntilReady, type ApiProcess } from './helpers/processes.js';

/**
 * Graceful shutdown (issue 17, item 1): SIGTERM with 20 slow requests in flight (sign-ups: an
 * Argon2 hash and a transaction each). Every one of them completes with its normal status, a new
 * connection is refused, the process exits 0, and the embedded database opens again at once.
 * On the embedded database (a data directory of its own), and on PostgreSQL when DATABASE_URL is set.
 */

const IN_FLIGHT = 20;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** One POST on a connection of its own; `sent` resolves once the whole request is written. */
function register(url: string): { sent: Promise<void>; answered: Promise<{ status: number; at: number }> } {
  const body = JSON.stringify({ email: uniqueEmail('drain'), password: STRONG_PASSWORD, displayName: 'Drain Test' });
  const req = http.request(`${url}/api/auth/register`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-token-transport': 'body' },
  });
  const sent = new Promise<void>((resolve) => req.once('finish', () => resolve()));
  const answered = new Promise<{ status: number; at: number }>((resolve) => {
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, at: Date.now() }));
    });
    // A reset shows up as status 0 with its error code in the failure message below.
    req.once('error', (error) => resolve({ status: 0, at: Date.now(), ...{ error: (error as NodeJS.ErrnoException).code } }));
  });
  req.end(body);
  return { sent, answered };
}

/** GET /healthz on a new connection (never a pooled keep-alive one). */
function freshConnectionStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(`${url}/healthz`, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .once('error', () => resolve(0));
  });
}

function connectOutcome(port: number): Promise<'refused' | 'accepted'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', () => resolve('refused'));
  });
}

async function drainUnderLoad(api: ApiProcess) {
  const requests = Array.from({ length: IN_FLIGHT }, () => register(api.url));
  await Promise.all(requests.map((r) => r.sent));
  // Connections are accepted in order: once one opened after them is answered, all 20 are in.
  expect(await freshConnectionStatus(api.url)).toBe(200);
  let done = 0;
  for (const r of requests) void r.answered.then(() => done++);
  const signalledAt = Date.now();
  const pendingAtSignal = IN_FLIGHT - done;
  api.child.kill('SIGTERM');

  // New connections are refused from now on (the listener closes at once).
  let refusedAfterMs: number | undefined;
  while (api.child.exitCode === null && refusedAfterMs === undefined) {
    if ((await connectOutcome(api.port)) === 'refused') refusedAfterMs = Date.now() - signalledAt;
    else await new Promise((r) => setTimeout(r, 10));
  }
  const answers = await Promise.all(requests.map((r) => r.answered));
  const code = await api.exited;
  const exitMs = Date.now() - signalledAt;
  const completedAfterSignal = answers.filter((a) => a.status === 201 && a.at >= signalledAt).length;
  console.log(
    `[faults] drain: ${answers.filter((a) => a.status === 201).length}/${IN_FLIGHT} completed (${pendingAtSignal} in flight at SIGTERM, ${completedAfterSignal} completed after it); ` +
      `new connections refused after ${refusedAfterMs ?? '-'} ms; exit ${code} after ${exitMs} ms`,
  );
  expect(
    answers.map((a) => a.status),
    `${JSON.stringify(answers)}\n${api.output.join('')}`,
  ).toEqual(Array(IN_FLIGHT).fill(201));
  expect(pendingAtSignal, 'some requests were still in flight at SIGTERM').toBeGreaterThan(0);
  expect(refusedAfterMs, 'a new connection was refused while draining').toBeDefined();
  expect(code, api.output.join('')).toBe(0);
  expect(api.output.join('')).toMatch(/shut down cleanly/);
}

describe('SIGTERM drains in-flight requests', () => {
  it.skipIf(Boolean(process.env.DATABASE_URL))(
    'on the embedded database: all complete, exit 0, and the database reopens (warm restart timed)',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-drain-'));
      dirs.push(dataDir);
      const env = { DATA_DIR: dataDir, SHUTDOWN_TIMEOUT: '60s' };
      const first = await spawnApi(env);
      const coldMs = await waitUntilReady(first);
      await drainUnderLoad(first);

      // Reopened at once: the lock was released and the database closed cleanly.
      const second = await spawnApi(env);
      try {
        const warmMs = await waitUntilReady(second);
        console.log(`[faults] embedded database: first start to ready ${coldMs} ms, warm restart after a drain ${warmMs} ms`);
        const count = await request(second.url, 'GET', '/readyz');
        expect(count.status).toBe(200);
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    },
    900_000,
  );

  it.skipIf(!process.env.DATABASE_URL)(
    'on PostgreSQL: all complete and the process exits 0',
    async () => {
      const database = await freshPostgresDatabase(process.env.DATABASE_URL!);
      try {
        // A connection for each request: none waits for the pool (a wait past 3 s is a 503 on a busy machine).
        const api = await spawnApi({
          DATABASE_URL: database.url,
          DATABASE_POOL_SIZE: '25',
          SHUTDOWN_TIMEOUT: '60s',
          ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
        });
        await waitUntilReady(api);
        await drainUnderLoad(api);
      } finally {
        await database.drop();
      }
    },
    300_000,
  );
});

describe('readiness while draining', () => {
  it('answers 503 with status draining once shutdown has begun', async () => {
    const server = await startServer({ ...CORE_ENV });
    try {
      expect((await request(server.url, 'GET', '/readyz')).status).toBe(200);
      server.ctx.lifecycle.startDraining();
      const res = await request(server.url, 'GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'draining' });
    } finally {
      await server.close();
    }
  }, 120_000);
});
