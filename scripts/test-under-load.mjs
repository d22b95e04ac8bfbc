// `npm run test:load -- [vitest args]`: runs the test suite while other processes keep every core
// busy, the way a shared CI machine or a developer's laptop with a build running is. The suite is
// expected to pass under it: a test that fails only here depends on timing that load can flip.
//
//   node scripts/test-under-load.mjs                      the whole suite under the default load
//   node scripts/test-under-load.mjs apps/api/test/auth/login.test.ts
//   LOAD_WORKERS=8 LOAD_MEMORY_MB=512 node scripts/test-under-load.mjs …
//
// Load: LOAD_WORKERS child processes spinning on the CPU (default: 2 per core, at least 4; on the
// 2-core machines this project targets that is 4, i.e. about twice as many runnable threads as
// cores before Vitest's own workers and the servers the tests start are counted) plus one process
// that keeps touching LOAD_MEMORY_MB of memory (default 256) so caches and memory bandwidth are
// contended too. The load runs at normal priority: it competes with the tests as real work would.
// The load stops when Vitest exits (or on SIGINT/SIGTERM), and the script exits with Vitest's code.
// No dependencies beyond Node itself.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const cores = os.availableParallelism();
const cpuWorkers = Number(process.env.LOAD_WORKERS ?? Math.max(4, 2 * cores));
const memoryMb = Number(process.env.LOAD_MEMORY_MB ?? 256);

// Pure CPU: a tight loop with a little arithmetic so it cannot be optimised away.
const CPU_LOOP = 'let x = 0; for (;;) { x = (x * 1103515245 + 12345) % 2147483648; }';
// Memory: allocate once, then write one byte per 4 KiB page forever, so the pages stay resident.
const MEMORY_LOOP = `
const pages = Buffer.alloc(${memoryMb} * 1024 * 1024);
let i = 0;
for (;;) { pages[i] = (pages[i] + 1) & 255; i = (i + 4096) % pages.length; }
`;

const loaders = [];
function startLoad() {
  for (let i = 0; i < cpuWorkers; i++) loaders.push(spawn(process.execPath, ['-e', CPU_LOOP], { stdio: 'ignore' }));
  if (memoryMb > 0) loaders.push(spawn(process.execPath, ['-e', MEMORY_LOOP], { stdio: 'ignore' }));
}
function stopLoad() {
  for (const child of loaders) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

startLoad();
console.log(`[test-under-load] ${cpuWorkers} CPU-bound processes and ${memoryMb > 0 ? `one touching ${memoryMb} MiB` : 'no memory load'} on ${cores} core(s)`);

// Vitest itself, not through npx: a signal sent to npx does not reach the Vitest it started.
const vitest = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    vitest.kill(signal);
    stopLoad();
  });
}
vitest.on('exit', (code, signal) => {
  stopLoad();
  console.log(`[test-under-load] vitest exited with ${signal ?? code}; load stopped`);
  process.exit(code ?? 1);
});
process.on('exit', stopLoad);
