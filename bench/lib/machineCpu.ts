/**
 * Where the machine's CPU goes while one path is loaded: the whole machine's busy time per answer,
 * split into the measured process, PostgreSQL, Redis, this process (the load generator) and the
 * rest (the kernel's softirqs, other programs). The API's own CPU per answer cannot explain a
 * ratio such as login ÷ hash rate on a 2-core machine: the database and the load generator run on
 * the cores the hashes need. Linux only (/proc); elsewhere every reading is undefined.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { median } from './load.js';

export interface MachineCpu {
  /** µs per answer. */
  machine: number;
  target: number;
  postgres: number;
  redis: number;
  loadGenerator: number;
  rest: number;
}

interface Reading {
  machine: number;
  target: number;
  postgres: number;
  redis: number;
  self: number;
}

const LINUX = existsSync('/proc/stat');
/** Clock ticks per second of /proc's counters (USER_HZ, 100 on common kernels). */
const TICK_US = LINUX ? 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100) : NaN;

/** Busy time of all CPUs: everything but idle and iowait (µs). */
function machineBusy(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_US;
}

/** User + system time of every process whose command is `name` (µs); /proc/<pid>/stat fields 14 and 15. */
function processesBusy(name: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command is in parentheses and may hold spaces: the fields after it are space-separated.
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(after[11]) + Number(after[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks * TICK_US;
}

const selfBusy = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** A reading now; `targetCpu` is the measured process's own CPU time (µs, from its process.cpuUsage). */
export async function readMachineCpu(targetCpu: () => Promise<number>): Promise<Reading | undefined> {
  if (!LINUX) return undefined;
  const target = await targetCpu();
  return { machine: machineBusy(), target, postgres: processesBusy('postgres'), redis: processesBusy('redis-server'), self: selfBusy() };
}

/** What happened between two readings, per answer. */
export function perAnswer(before: Reading | undefined, after: Reading | undefined, answers: number): MachineCpu | undefined {
  if (!before || !after || !(answers > 0)) return undefined;
  const per = (key: keyof Reading) => (after[key] - before[key]) / answers;
  const parts = { target: per('target'), postgres: per('postgres'), redis: per('redis'), loadGenerator: per('self') };
  const machine = per('machine');
  return { machine, ...parts, rest: machine - parts.target - parts.postgres - parts.redis - parts.loadGenerator };
}

/** Each part's median over the rounds (undefined when no round could be read). */
export function medianMachineCpu(samples: { machineCpu?: MachineCpu }[]): MachineCpu | undefined {
  const readings = samples.map((s) => s.machineCpu).filter((m): m is MachineCpu => m !== undefined);
  if (!readings.length) return undefined;
  const mid = (key: keyof MachineCpu) => median(readings.map((r) => r[key]));
  return {
    machine: mid('machine'),
    target: mid('target'),
    postgres: mid('postgres'),
    redis: mid('redis'),
    loadGenerator: mid('loadGenerator'),
    rest: mid('rest'),
  };
}
