// `npm run build -w @portcullis/api` (and `npm run build`, `npm start`): the API as plain
// JavaScript for `node`, no tsx at run time. One bundled entry point per process in dist/ (the server,
// the cluster primary, the operator CLI) and shared chunks, holding the API and the workspace packages it uses
// (@portcullis/contract, @portcullis/sdk, which are TypeScript source); every other dependency
// stays in node_modules, loaded as usual. Source maps beside them point stack traces at the
// TypeScript when node runs with --enable-source-maps (off by default: it makes every stack costly).
//
// Each file is written beside its old version and renamed over it, so a process starting from dist/
// meanwhile never reads half a file. The migrations (drizzle/) and data/ are read from the package
// at run time (src/paths.ts), not copied.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(API_DIR, 'package.json'), 'utf8'));
const external = Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@portcullis/'));

const started = performance.now();
const result = await build({
  absWorkingDir: API_DIR,
  entryPoints: { main: 'src/main.ts', cluster: 'src/cluster.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  // main.ts imports the server lazily, so that the database opens while the rest loads: shared
  // code goes into chunks loaded on demand. Old chunks are left in place (names carry a content
  // hash) for a process started from the previous build.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Packages with subpaths (drizzle-orm/pg-core, ...) are external too.
  external: external.flatMap((name) => [name, `${name}/*`]),
  sourcemap: 'linked',
  write: false,
  logLevel: 'warning',
});
// Chunks first: an entry point is in place only once everything it loads is.
const entriesLast = [...result.outputFiles].sort((a, b) => Number(!a.path.includes('/chunks/')) - Number(!b.path.includes('/chunks/')));
for (const file of entriesLast) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
console.warn(`[build] API bundled into apps/api/dist in ${Math.round(performance.now() - started)} ms`);
