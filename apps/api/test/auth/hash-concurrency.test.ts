import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The hasher runs at most `concurrency` hashes at once, by default one per core (services/passwords.ts:
 * more at once than cores made each Argon2id hash a third dearer). The libraries are replaced by
 * hashes that finish when the test says, so what runs at once is counted, not timed.
 */

const running = { now: 0, most: 0 };
const finishers: (() => void)[] = [];
const slowHash = <T>(value: T) =>
  new Promise<T>((resolve) => {
    running.now++;
    running.most = Math.max(running.most, running.now);
    finishers.push(() => {
      running.now--;
      resolve(value);
    });
  });

vi.mock('@node-rs/argon2', () => ({
  hash: () => slowHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA'),
  verify: () => slowHash(false),
}));
vi.mock('@node-rs/bcrypt', () => ({ hash: () => slowHash('$2b$12$x'), verify: () => slowHash(false) }));

const { createPasswordHasher } = await import('../../src/services/passwords.js');

/** Lets the hasher's queue move, then finishes the hashes running now (in order) and reports how many. */
async function finishRunning(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  const now = finishers.splice(0);
  for (const finish of now) finish();
  await new Promise((resolve) => setImmediate(resolve));
  return now.length;
}

async function drain(): Promise<number[]> {
  const batches: number[] = [];
  for (let n = await finishRunning(); n > 0; n = await finishRunning()) batches.push(n);
  return batches;
}

afterEach(() => {
  running.now = 0;
  running.most = 0;
  finishers.length = 0;
});

describe('how many password hashes run at once', () => {
  it('at most `concurrency`: verifications, hashes and the unknown-email burn wait in one queue', async () => {
    const hasher = createPasswordHasher('argon2id', 2);
    const dummyReady = hasher.burn('warm'); // makes the dummy hash first, then verifies against it
    expect(await drain()).toEqual([1, 1]);
    await dummyReady;

    const stored = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA';
    const all = Promise.all([
      hasher.verify(stored, 'a'),
      hasher.burn('b'),
      hasher.hash('c'),
      hasher.verify(stored, 'd'),
      hasher.burn('e'),
      hasher.verify('$2b$12$x', 'f'),
      hasher.verify(stored, 'g'),
    ]);
    expect(await drain()).toEqual([2, 2, 2, 1]);
    await all;
    expect(running.most).toBe(2);
  });

  it('one per core when not told otherwise', async () => {
    const hasher = createPasswordHasher('bcrypt');
    const all = Promise.all(Array.from({ length: os.availableParallelism() + 3 }, (_, i) => hasher.verify('$2b$12$x', String(i))));
    const batches = await drain();
    await all;
    expect(running.most).toBe(os.availableParallelism());
    expect(batches[0]).toBe(os.availableParallelism());
  });
});
