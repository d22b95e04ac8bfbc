/**
 * `node --import tsx bench/profileSummary.ts <file.cpuprofile> [filter]`: the functions with the
 * most self time in a V8 CPU profile (`npm run bench -- --cpu-prof=DIR`), with their file, and
 * the share of all samples; `filter` keeps only functions whose file contains it (e.g. `sdk/src`).
 * Flame graphs need a viewer; this is the same data as text, for docs and diffs.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
}

const [file, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: profileSummary.ts <file.cpuprofile> [filter]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<string, number>();
const total = new Map<string, number>();
const keyOf = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
for (const id of profile.samples) {
  const node = byId.get(id)!;
  self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = keyOf(byId.get(at)!);
    if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + 1);
    seen.add(key);
  }
}
const all = profile.samples.length;
const pct = (v: number) => `${((100 * v) / all).toFixed(1).padStart(5)}%`;
const show = (title: string, table: Map<string, number>) => {
  console.log(title);
  for (const [key, v] of [...table]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25))
    console.log(`${pct(v)}  ${key}`);
};
show(`self time (${all} samples)`, self);
show('\ninclusive time', total);
