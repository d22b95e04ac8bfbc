/**
 * `npm run bench:passwords`: the cost of one password hash with each algorithm Portcullis
 * supports, and how much of that time the event loop stays free (both run on libuv's pool).
 * Prints numbers and ratios; it passes or fails nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createPasswordHasher } from '../apps/api/src/services/passwords.js';

const ROUNDS = Number(process.env.BENCH_HASH_ROUNDS ?? 10);

async function measure(kind: 'argon2id' | 'bcrypt') {
  const hasher = createPasswordHasher(kind);
  const stored = await hasher.hash('Bench-Password-1');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) await hasher.verify(stored, 'Bench-Password-1');
  const perHash = (performance.now() - started) / ROUNDS;
  loop.disable();
  return { kind, perHash, maxLoopDelayMs: loop.max / 1e6 };
}

const argon = await measure('argon2id');
const bcrypt = await measure('bcrypt');
for (const r of [argon, bcrypt]) {
  console.log(`${r.kind.padEnd(9)} ${r.perHash.toFixed(1).padStart(7)} ms per verify   max event-loop delay ${r.maxLoopDelayMs.toFixed(1)} ms`);
}
console.log(`bcrypt(12) / argon2id(OWASP) time ratio: ${(bcrypt.perHash / argon.perHash).toFixed(2)}`);
