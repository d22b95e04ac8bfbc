import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/dataDirLock.js';

/** The embedded database's one-process lock: refuses a live holder, takes over a dead one's. */

describe('embedded database lock', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-lock-'));
  const file = path.join(dir, 'portcullis.lock');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is held while open and released on close; a second open in the same process is refused', () => {
    const release = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses while another live process holds it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(file, String(child.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another process \\(pid ${child.pid}\\)`));
    } finally {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // Now that it is gone, its lock is stale and taken over.
    const release = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
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
