import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, processStartTime } from '../../src/db/dataDirLock.js';

/** The embedded database's one-process lock: refuses a live holder, takes over a dead one's. */

describe('embedded database lock', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-lock-'));
  const file = path.join(dir, 'portcullis.lock');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is held while open and released on close; a second open in the same process is refused', () => {
    const release = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(ownLock());
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses while another live process holds it', async () => {
    const child = await liveChild();
    try {
      // As the child itself would write it: its pid and, where the kernel tells, its start time.
      writeFileSync(file, [child.pid, processStartTime(child.pid!)].filter(Boolean).join(' '));
      const refusal = catchError(() => lockDataDir(dir));
      expect(refusal).toBeInstanceOf(DataDirLockedError);
      // Plainly what to do: which process, stop it, or another DATA_DIR.
      expect(refusal.message).toMatch(new RegExp(`in use by another process \\(pid ${child.pid}\\)`));
      expect(refusal.message).toContain(`kill ${child.pid}`);
      expect(refusal.message).toContain('DATA_DIR');
    } finally {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Now that it is gone, its lock is stale and taken over.
    const release = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(ownLock());
    release();
  });

  it.skipIf(!processStartTime(process.pid))('takes over a lock whose pid now belongs to another process (a pid reused after a crash and reboot)', async () => {
    // A live process that is not the holder: same pid as in the lock, another start time.
    const child = await liveChild();
    try {
      const realStart = Number(processStartTime(child.pid!));
      writeFileSync(file, `${child.pid} ${realStart + 12_345}`);
      const release = lockDataDir(dir);
      expect(readFileSync(file, 'utf8')).toBe(ownLock());
      release();
      expect(existsSync(file)).toBe(false);
    } finally {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('takes over a lock naming this pid from an earlier run (a container restarted as the same pid), or an empty one', () => {
    for (const content of [String(process.pid), '']) {
      writeFileSync(file, content);
      const release = lockDataDir(dir);
      release();
      expect(existsSync(file)).toBe(false);
    }
  });
});

/** The lock this process writes: its pid and, on Linux, its start time. */
function ownLock(): string {
  const start = processStartTime(process.pid);
  return start ? `${process.pid} ${start}` : String(process.pid);
}

async function liveChild() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
