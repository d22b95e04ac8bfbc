/** Forks bench/lib/targets.ts and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Ready {
  ready: { api: string; express: string; born: string; http: string; sdk: string };
  database: 'postgres' | 'pglite';
  hash: string;
  alg: string;
  poolSize: number;
}

export interface Target extends Ready {
  ask<T>(command: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** Production settings, rate limits off, the embedded database unless DATABASE_URL is set. */
export async function startTarget(options: { cpuProfileDir?: string }): Promise<Target> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    RATE_LIMITS: 'off',
    // A database written by an earlier run needs that run's key (its signing keys are sealed with it).
    SECRET_KEY: process.env.SECRET_KEY ?? randomBytes(32).toString('base64url'),
    JWT_ACCESS_TTL: '1h',
    ...(process.env.DATABASE_URL ? {} : { DATA_DIR: 'memory://' }),
  };
  // --expose-gc: the memory rows collect before they read the resident size.
  const execArgv = ['--import', 'tsx', '--expose-gc', ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [])];
  const child: ChildProcess = fork(path.join(here, 'targets.ts'), [], { env, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`the bench target exited with ${code} before it was ready`)));
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id?: number; value?: unknown; error?: string }) => {
    const waiting = m.id === undefined ? undefined : pending.get(m.id);
    if (!waiting) return;
    pending.delete(m.id!);
    if (m.error) waiting.reject(new Error(m.error));
    else waiting.resolve(m.value);
  });
  return {
    ...ready,
    ask<T>(command: Record<string, unknown>) {
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...command, id });
      });
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ id: ++nextId, kind: 'stop' });
      await exited;
    },
  };
}
