import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is PostgreSQL inside one process, and nothing stops a second process from opening the
 * same data directory, which corrupts it. So whoever opens it (the server, the CLI) first takes
 * this lock file holding its pid; a live holder makes the second open fail with a clear message.
 * A lock left by a process that died is taken over.
 */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Directories this process holds: a lock file naming our pid but not listed here is a previous life's (a container restarted as pid 1). */
const held = new Set<string>();

export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'portcullis.lock');
  if (held.has(file)) throw new DataDirLockedError(`The embedded database in ${dir} is already open in this process.`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      const release = () => {
        held.delete(file);
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.once('exit', release);
      return () => {
        process.off('exit', release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSafe(file));
      // Our own pid here means a previous run that had the same pid (checked against `held` above).
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `The embedded database in ${dir} is in use by another process (pid ${holder}), probably the running API server. ` +
            'Stop it first, or use PostgreSQL (DATABASE_URL), which several processes can share.',
        );
      }
      // A stale lock from a process that is gone.
      try {
        unlinkSync(file);
      } catch {
        // Someone else removed it first; try again.
      }
    }
  }
  throw new DataDirLockedError(`Could not lock the embedded database in ${dir}.`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
