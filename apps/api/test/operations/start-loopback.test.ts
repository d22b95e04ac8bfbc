import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@portcullis/testing/ports';
import { TEST_SECRET_KEY } from '@portcullis/testing/server';

/**
 * `npm start` (scripts/start.mjs) runs the API behind the web app's proxy with TRUST_PROXY=loopback,
 * so the API believes X-Forwarded-For from any loopback peer. Listening on every interface would let
 * a client elsewhere reach it directly, and a local process forge its address past the limits and the
 * dev outbox's loopback check (issue 10, item 4). So it binds the API to 127.0.0.1: the machine's own
 * non-loopback address must get no answer. (With HOST=0.0.0.0 the same request is answered.)
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** An address of this machine that is not loopback, where a listener on every interface would answer. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.status,
    () => 0,
  );

describe('npm start', () => {
  it.skipIf(!outside)('binds the API to loopback when it sets TRUST_PROXY=loopback', { timeout: 400_000 }, async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-start-'));
    dirs.push(dataDir);
    // HOST and TRUST_PROXY unset, as a person runs it: start.mjs chooses them.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--api'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        NODE_ENV: 'test',
        SECRET_KEY: TEST_SECRET_KEY,
        RATE_LIMITS: 'off',
        PORT: String(port),
        DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (d) => output.push(String(d)));
    child.stderr.on('data', (d) => output.push(String(d)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 300_000;
      while ((await status(`http://127.0.0.1:${port}/readyz`)) !== 200) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the API did not start: ${output.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await status(`http://${outside}:${port}/healthz`)).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
