/** The bench's table, with the machine it ran on: its numbers mean nothing without it. */
import os from 'node:os';
import { CONNECTIONS } from './load.js';
import type { MachineCpu } from './machineCpu.js';

export interface Row {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  ratio: number | undefined;
  relativeTo: string;
  /** Median CPU µs per answer in the measured process, and the baseline's divided by it (rounds' median). */
  cpuUs?: number;
  cpuRatio?: number;
  machineCpu?: MachineCpu;
}

export const NODE_HTTP = 'bare node:http handler';

const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

export function printTable(
  rows: Row[],
  run: { database: string; alg: string; rounds: number; seconds: number; loadBefore: number[]; loadAfter: number[] },
): void {
  const cpus = os.cpus();
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`,
  );
  console.log(`load average (1/5/15 min): ${load(run.loadBefore)} before, ${load(run.loadAfter)} after`);
  console.log(
    `run: ${run.database}, JWT_ALG ${run.alg}, ${CONNECTIONS} connections, ${run.rounds} rounds × ${run.seconds} s per path, medians; NODE_ENV=production, RATE_LIMITS=off`,
  );
  console.log('');
  // The second baseline: every path measured against bare Express, also as a share of bare node:http (medians).
  const nodeHttp = rows.find((r) => r.label === NODE_HTTP)?.rps;
  const header = ['path', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'relative to', '÷ node:http', 'CPU µs/req', 'CPU ratio', 'failures'];
  const body = rows.map((r) => [
    r.label,
    num(r.rps),
    num(r.p50, 1),
    num(r.p99, 1),
    r.ratio === undefined ? '' : num(r.ratio, 2),
    r.relativeTo,
    nodeHttp && r.relativeTo === 'bare Express' ? num(r.rps / nodeHttp, 2) : '',
    r.cpuUs === undefined ? '' : num(r.cpuUs),
    r.cpuRatio === undefined ? '' : num(r.cpuRatio, 2),
    String(r.failures),
  ]);
  markdownTable(header, body, [0, 5]);

  // Where the machine's CPU went per answer (machineCpu.ts): what the target's own column leaves out.
  const split = rows.filter((r) => r.machineCpu);
  if (!split.length) return;
  console.log('');
  console.log('CPU per answer across the machine (µs; medians over the rounds; PostgreSQL and Redis: every such process on the machine):');
  console.log('');
  markdownTable(
    ['path', 'machine', 'measured process', 'PostgreSQL', 'Redis', 'load generator', 'rest (kernel, others)', 'measured ÷ machine'],
    split.map(({ label, machineCpu: m }) => [
      label,
      num(m!.machine),
      num(m!.target),
      num(m!.postgres),
      num(m!.redis),
      num(m!.loadGenerator),
      num(m!.rest),
      num(m!.target / m!.machine, 2),
    ]),
    [0],
  );
}

/** A Markdown table: the columns in `left` are text, the others numbers. */
function markdownTable(header: string[], body: string[][], left: number[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (left.includes(i) ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
