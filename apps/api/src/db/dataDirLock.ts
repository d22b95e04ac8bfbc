import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is PostgreSQL inside one process, and nothing stops a second process from opening the
 * same data directory, which corrupts it. So whoever opens it (the server, the CLI) first takes
 * this lock file; a live holder makes the second open fail with a clear message. A lock left by a
 * process that died is taken over.
 *
 * A pid alone is not enough: after a crash and a reboot (or in a container) another process can
 * have the dead holder's pid. So the file holds `<pid> <start time>`, the start time being the
 * kernel's (Linux /proc/<pid>/stat field 22, in clock ticks since boot): a live pid with another
 * start time is a different process, and the lock is stale. Where /proc is missing the pid alone
 * is compared, as before.
 */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Directories this process holds: a lock file naming our pid but not listed here is a previous life's (a container restarted as pid 1). */
const held = new Set<string>();

export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'portcullis.lock');
  if (held.has(file)) throw new DataDirLockedError(`The embedded database in ${dir} is already open in this process.`);
  const content = lockContent(process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, content);
      closeSync(fd);
      held.add(file);
      const release = () => {
        held.delete(file);
        try {
          if (readFileSync(file, 'utf8').trim() === content) unlinkSync(file);
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
      const holder = parseLock(readFileSafe(file));
      if (holder && holderIsLive(holder)) {
        throw new DataDirLockedError(
          `The embedded database in ${dir} is in use by another process (pid ${holder.pid}), probably a running API server or CLI. ` +
            `Stop that process first (for example: kill ${holder.pid}), or set DATA_DIR to another directory, ` +
            'or use PostgreSQL (DATABASE_URL), which several processes can share. ' +
            `If no such process is yours, the lock file ${file} is stale: delete it.`,
        );
      }
      // A stale lock from a process that is gone (or a pid now used by another process).
      try {
        unlinkSync(file);
      } catch {
        // Someone else removed it first; try again.
      }
    }
  }
  throw new DataDirLockedError(`Could not lock the embedded database in ${dir}.`);
}

interface Holder {
  pid: number;
  /** Absent in a lock written where /proc is missing, or by an older version (pid only). */
  startTime?: string;
}

function lockContent(pid: number): string {
  const startTime = processStartTime(pid);
  return startTime ? `${pid} ${startTime}` : String(pid);
}

function parseLock(text: string): Holder | undefined {
  const match = /^(\d+)(?:\s+(\d+))?$/.exec(text);
  if (!match) return undefined;
  return { pid: Number(match[1]), startTime: match[2] };
}

function holderIsLive(holder: Holder): boolean {
  // Our own pid here means a previous run that had the same pid (checked against `held` above).
  if (!holder.pid || holder.pid === process.pid || !isAlive(holder.pid)) return false;
  if (holder.startTime === undefined) return true;
  const now = processStartTime(holder.pid);
  // Without /proc now (it was there when written) we cannot tell: assume it is the holder.
  return now === undefined || now === holder.startTime;
}

/** The kernel's start time of a process (clock ticks since boot), on Linux; undefined elsewhere. */
export function processStartTime(pid: number): string | undefined {
  const stat = readFileSafe(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // `rest` starts at field 3 (state); field 22 is the start time.
  const value = rest[22 - 3];
  return value && /^\d+$/.test(value) ? value : undefined;
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
