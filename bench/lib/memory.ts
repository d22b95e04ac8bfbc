/**
 * Memory rows: the API process's resident size (after two collections) and the database's size,
 * at start, after 100,000 users, and after 10,000 live sessions each checked once through
 * GET /api/auth/me (so that whatever the API keeps per session or user in memory is there).
 * On the embedded database the database lives in the API's process, so its pages count in the
 * resident size; on PostgreSQL they are the server's.
 */
import http from 'node:http';
import type { Target } from './target.js';

interface Footprint {
  rssBytes: number;
  heapBytes: number;
  databaseBytes: number;
}

/** GET `path` once with each bearer token, `concurrency` at a time; how many answered 200. */
async function checkEach(api: string, path: string, tokens: string[], concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let ok = 0;
  const one = (token: string) =>
    new Promise<number>((resolve) => {
      const req = http.get(new URL(path, api), { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tokens.length) if ((await one(tokens[next++]!)) === 200) ok++;
    }),
  );
  agent.destroy();
  return ok;
}

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

export async function memoryRows(target: Target, api: string, counts = { users: 100_000, sessions: 10_000 }): Promise<string[]> {
  const start = await target.ask<Footprint>({ kind: 'footprint' });
  let t0 = performance.now();
  const tag = await target.ask<string>({ kind: 'seedUsers', count: counts.users });
  const usersMs = performance.now() - t0;
  const withUsers = await target.ask<Footprint>({ kind: 'footprint' });
  t0 = performance.now();
  const tokens = await target.ask<string[]>({ kind: 'seedSessions', tag, count: counts.sessions });
  const ok = await checkEach(api, '/api/auth/me', tokens, 10);
  const sessionsMs = performance.now() - t0;
  const withSessions = await target.ask<Footprint>({ kind: 'footprint' });

  const row = (label: string, f: Footprint, before?: Footprint) =>
    `| ${label.padEnd(66)} | ${mib(f.rssBytes).padStart(7)} | ${before ? `+${mib(f.rssBytes - before.rssBytes)}`.padStart(8) : ''.padStart(8)} | ${mib(f.heapBytes).padStart(7)} | ${mib(f.databaseBytes).padStart(8)} | ${before ? `+${mib(f.databaseBytes - before.databaseBytes)}`.padStart(8) : ''.padStart(8)} |`;
  return [
    `| ${'memory (API process after GC; database size)'.padEnd(66)} | RSS MiB | Δ RSS   | heap MiB | db MiB   | Δ db     |`,
    `|${'-'.repeat(68)}|--------:|---------:|--------:|---------:|---------:|`,
    row('at start (after the load above)', start),
    row(`+ ${counts.users.toLocaleString('en')} users (one insert, ${(usersMs / 1000).toFixed(1)} s)`, withUsers, start),
    row(`+ ${counts.sessions.toLocaleString('en')} live sessions, each checked once by /me (${ok} × 200)`, withSessions, withUsers),
    `(per 10,000 live sessions: ${mib(((withSessions.rssBytes - withUsers.rssBytes) * 10_000) / counts.sessions)} MiB of RSS, ${mib(((withSessions.heapBytes - withUsers.heapBytes) * 10_000) / counts.sessions)} MiB of it JS heap; ` +
      `per 100,000 users: ${mib(((withUsers.rssBytes - start.rssBytes) * 100_000) / counts.users)} MiB of RSS; ${(sessionsMs / 1000).toFixed(1)} s to create and check the sessions)`,
  ];
}
