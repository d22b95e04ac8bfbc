import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET_KEY } from '@portcullis/testing/server';
import { freePort } from '@portcullis/testing/ports';

/**
 * Real API processes (`node --import tsx apps/api/src/main.ts`) on one fresh database of the
 * PostgreSQL server named by DATABASE_URL, as behind a load balancer.
 */

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ApiInstance {
  url: string;
  child: ChildProcess;
  output: string[];
}

/** A new empty database on the server of `baseUrl` (one helper for every faults test). */
export { freshPostgresDatabase as freshDatabase } from './processes.js';

export function baseEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    JWT_ISSUER: 'http://portcullis.faults.test',
    RATE_LIMIT_LOGIN_PER_IP: '100000/1m',
    RATE_LIMIT_REGISTER_PER_IP: '100000/1h',
    RATE_LIMIT_PASSWORD_FORGOT_PER_IP: '100000/1h',
    REDIS_URL: '',
    ...extra,
  };
}

export async function spawnInstance(env: Record<string, string>): Promise<ApiInstance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  return { url: `http://127.0.0.1:${port}`, child, output };
}

export async function waitReady(instance: ApiInstance, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (instance.child.exitCode !== null) throw new Error(`instance exited: ${instance.output.join('')}`);
    try {
      if ((await fetch(`${instance.url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`instance not ready: ${instance.output.join('')}`);
}

export async function stopInstance(instance: ApiInstance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
