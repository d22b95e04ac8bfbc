/**
 * `npm run bench:startup`: how long the API takes from `node` to serving on the embedded database
 * (issue 17), beside a bare PGlite opening the same data directory in a fresh process, measured in
 * rounds that alternate the two, so that a burst of other load on the machine hits both.
 *
 * It creates a data directory of its own (the first start, `initdb` included, is shown apart),
 * then restarts the API on it: the time to the first 200 of GET /healthz and of GET /readyz,
 * counted from the spawn, and the steps the API logs with `Portcullis API listening` (startup).
 * Medians over the rounds; the machine and its load are printed too: it passes or fails nothing.
 *
 *   --rounds=N      restarts (default 5)
 *   --crash         end each run with SIGKILL (a crash: PostgreSQL recovers at the next start)
 *                   rather than SIGTERM
 *   --built         run the compiled API (`npm run build:api` first) with plain node, not tsx
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rounds = Number(flag('rounds') ?? 5);
const crash = args.includes('--crash');
const built = args.includes('--built');
const API = built ? ['apps/api/dist/main.js'] : ['--import', 'tsx', 'apps/api/src/main.ts'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function ok(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

interface Run {
  healthzMs: number;
  readyzMs: number;
  startup: Record<string, number>;
}

/** Starts the API on `dataDir`, waits for /healthz and /readyz to answer 200, then stops it. */
async function runApi(dataDir: string): Promise<Run> {
  const port = await freePort();
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'info' };
  const started = performance.now();
  const child = spawn(process.execPath, API, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let startup: Record<string, number> = {};
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    const line = output.split('\n').find((l) => l.includes('Portcullis API listening'));
    if (line) startup = { startMs: JSON.parse(line).startMs, ...JSON.parse(line).startup };
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve(void (exited = true))));
  const base = `http://127.0.0.1:${port}`;
  let healthzMs = NaN;
  let readyzMs = NaN;
  while (!exited && (Number.isNaN(healthzMs) || Number.isNaN(readyzMs))) {
    if (Number.isNaN(healthzMs) && (await ok(`${base}/healthz`))) healthzMs = performance.now() - started;
    if (Number.isNaN(readyzMs) && (await ok(`${base}/readyz`))) readyzMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (exited) throw new Error(`the API exited before it served:\n${output}`);
  child.kill(crash ? 'SIGKILL' : 'SIGTERM');
  await exit;
  return { healthzMs, readyzMs, startup };
}

/** A fresh node process that opens PGlite on the same data directory and closes it. */
async function runBarePglite(dataDir: string): Promise<number> {
  const script = `import { PGlite } from '@electric-sql/pglite';
const db = new PGlite(${JSON.stringify(path.join(dataDir, 'pgdata'))});
await db.waitReady; await db.close();`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(ROOT, 'apps/api'), stdio: 'inherit' });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bare PGlite exited with ${code}`);
  return performance.now() - started;
}

const loadBefore = os.loadavg();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portcullis-startup-'));
try {
  const first = await runApi(dataDir);
  const runs: Run[] = [];
  const bare: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bare.push(await runBarePglite(dataDir));
    runs.push(await runApi(dataDir));
  }
  const loadAfter = os.loadavg();
  const cpus = os.cpus();
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
  console.log(`load average (1/5/15 min): ${load(loadBefore)} before, ${load(loadAfter)} after`);
  console.log(
    `run: ${built ? 'compiled JS, plain node' : 'node --import tsx'}, embedded database, ${rounds} restarts after ${crash ? 'SIGKILL (crash)' : 'SIGTERM'}, medians (ms, from the spawn)`,
  );
  console.log('');
  const row = (label: string, values: number[]) =>
    console.log(`| ${label.padEnd(34)} | ${median(values).toFixed(0).padStart(6)} | ${values.map((v) => v.toFixed(0)).join(' ')}`);
  console.log(`| ${'step'.padEnd(34)} | median | each run`);
  row('first start (initdb) to /readyz', [first.readyzMs]);
  row('bare PGlite open + close', bare);
  row(
    'restart to /healthz 200',
    runs.map((r) => r.healthzMs),
  );
  row(
    'restart to /readyz 200',
    runs.map((r) => r.readyzMs),
  );
  const ratios = runs.map((r, i) => r.readyzMs / bare[i]!);
  console.log(`| ${'ratio /readyz ÷ bare PGlite'.padEnd(34)} | ${median(ratios).toFixed(2).padStart(6)} |`);
  for (const step of Object.keys(runs[0]?.startup ?? {}))
    row(
      `  logged: ${step}`,
      runs.map((r) => r.startup[step] ?? NaN),
    );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
