/**
 * `npm run bench:cluster`: requests per second of one API process against `start:cluster` (one
 * worker per core) on a cheap authenticated endpoint, GET /api/auth/me (bearer verification plus
 * one indexed query). Prints both numbers and their ratio; it passes or fails nothing.
 *
 * Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres): a fresh
 * database is created and dropped. BENCH_SECONDS (default 8 per side), BENCH_ROUNDS (default 4)
 * and BENCH_CONCURRENCY (default 32).
 * The load generator runs on the same machine, so on few cores it takes CPU from the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '@portcullis/testing/ports';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function start(entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/api/src', entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitReady(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Keeps `concurrency` connections busy for `ms`, each with a few pipelined requests in flight,
 * and counts the answers by their status line. A raw socket costs the load generator far less
 * CPU than an HTTP client, which matters when it shares two cores with the servers it measures.
 */
async function measure(url: string, token: string, ms: number): Promise<{ rps: number; errors: number }> {
  const { hostname, port } = new URL(url);
  const requestText = `GET /api/auth/me HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n\r\n`;
  const DEPTH = 4;
  let ok = 0;
  let errors = 0;
  const end = Date.now() + ms;
  const connection = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), hostname);
      let tail = '';
      let inFlight = 0;
      const send = () => {
        while (inFlight < DEPTH && Date.now() < end) {
          socket.write(requestText);
          inFlight++;
        }
        if (inFlight === 0) socket.end();
      };
      socket.setNoDelay(true);
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        const text = tail + chunk.toString('latin1');
        for (const match of text.matchAll(/HTTP\/1\.1 (\d{3})/g)) {
          if (match[1] === '200') ok++;
          else errors++;
          inFlight--;
        }
        tail = text.slice(-16);
        send();
      });
      socket.on('error', () => {
        errors++;
        resolve();
      });
      socket.on('close', () => resolve());
    });
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, connection));
  return { rps: ok / ((Date.now() - started) / 1000), errors };
}

async function main() {
  const name = `portcullis_bench_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${name}`;
  const env = {
    DATABASE_URL: dbUrl.toString(),
    SECRET_KEY: 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMITS: 'off',
    JWT_ACCESS_TTL: '1h',
    JWT_ISSUER: 'http://bench.portcullis.test',
    DATABASE_POOL_SIZE: '10',
  };
  const children: ChildProcess[] = [];
  try {
    const targets: { label: string; url: string; rps: number[]; errors: number }[] = [];
    for (const [label, entry] of [
      ['single process', 'main.ts'],
      [`cluster (${os.availableParallelism()} workers)`, 'cluster.ts'],
    ] as const) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      children.push(start(entry, { ...env, PORT: String(port), HOST: '127.0.0.1' }));
      await waitReady(url);
      targets.push({ label, url, rps: [], errors: 0 });
    }
    const res = await fetch(`${targets[0]!.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token-transport': 'body' },
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'Bench-Password-42', displayName: 'Bench' }),
    });
    const token = ((await res.json()) as { accessToken: string }).accessToken;
    // Warm-up (JIT, pools), then alternate rounds so that a burst of other load on the machine
    // hits both sides rather than one.
    for (const t of targets) await measure(t.url, token, 2_000);
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        const r = await measure(t.url, token, (seconds * 1000) / rounds);
        t.rps.push(r.rps);
        t.errors += r.errors;
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `GET /api/auth/me, ${concurrency} keep-alive connections with 4 pipelined requests each, ${seconds} s each in ${rounds} alternating rounds, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    for (const t of targets)
      console.log(
        `  ${t.label.padEnd(24)} ${mean(t.rps).toFixed(0).padStart(7)} req/s  (rounds: ${t.rps.map((r) => r.toFixed(0)).join(', ')}; ${t.errors} non-200)`,
      );
    console.log(`  ratio cluster / single: ${(mean(targets[1]!.rps) / mean(targets[0]!.rps)).toFixed(2)}`);
  } finally {
    for (const child of children) await stop(child);
    await admin(`drop database if exists ${name} with (force)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
