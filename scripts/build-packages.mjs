// Builds the publishable packages into <package>/dist, a complete package of its own: ESM
// JavaScript and bundled .d.ts (tsdown), the package.json that gets published, README and LICENSE.
//
//   node scripts/build-packages.mjs [sdk react nextjs]   then   npm pack ./packages/<name>/dist
//
// Why a separate dist package: inside the workspace every consumer (the API, the web app's
// Next/Turbopack build, vitest, tsx) imports these packages as TypeScript source through the
// source package.json, with no build step. Packing from dist leaves that file untouched, so a
// pack running beside tests can never switch the workspace over to a half-written build.
//
// @portcullis/contract is not published: the SDK bundles what it uses of it (the error codes and
// the role/permission table, plain data) and the contract's wire types into its .d.ts, so a user
// installs one package. Those types are zod-inferred, hence zod in the SDK's published dependencies.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsdown';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSCONFIG = path.join(ROOT, 'packages', 'tsconfig.build.json');

/** Entry name → source file; `index` is the package's "." export. */
const PACKAGES = {
  sdk: {
    entry: { index: 'src/index.ts', server: 'src/server.ts', permissions: 'src/permissions.ts', 'session-answer': 'src/sessionAnswer.ts' },
    bundle: [/^@portcullis\/contract(\/|$)/],
    platform: 'neutral',
  },
  // Every export is a client component or hook: one 'use client' for the whole bundle.
  react: { entry: { index: 'src/index.ts' }, banner: "'use client';", platform: 'browser' },
  nextjs: { entry: { index: 'src/index.ts', proxy: 'src/proxy.ts', session: 'src/session.ts' }, platform: 'node' },
};

/** Fields of the source package.json that the published one keeps as they are. */
const KEPT = ['name', 'version', 'description', 'license', 'keywords', 'type', 'engines', 'peerDependencies', 'peerDependenciesMeta'];

async function buildPackage(name) {
  const spec = PACKAGES[name];
  if (!spec) throw new Error(`unknown package ${name}; known: ${Object.keys(PACKAGES).join(', ')}`);
  const dir = path.join(ROOT, 'packages', name);
  const outDir = path.join(dir, 'dist');
  const source = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  await rm(outDir, { recursive: true, force: true });
  await build({
    cwd: dir,
    config: false,
    entry: spec.entry,
    outDir,
    format: 'esm',
    platform: spec.platform,
    target: 'es2022',
    // Declarations come from tsc (declarations() below): the bundler's .d.ts bundling failed on
    // the SDK's re-exported contract types.
    dts: false,
    sourcemap: false,
    // `.js`/`.d.ts` beside a `"type": "module"` package.json.
    fixedExtension: false,
    hash: false,
    tsconfig: TSCONFIG,
    deps: { neverBundle: [/^node:/], ...(spec.bundle ? { alwaysBundle: spec.bundle } : {}) },
    banner: spec.banner ? { js: spec.banner } : undefined,
    logLevel: 'warn',
  });

  const published = Object.fromEntries(KEPT.filter((key) => key in source).map((key) => [key, source[key]]));
  published.sideEffects = false;
  published.exports = Object.fromEntries(
    Object.keys(spec.entry).map((entry) => [entry === 'index' ? '.' : `./${entry}`, { types: `./${entry}.d.ts`, default: `./${entry}.js` }]),
  );
  published.exports['./package.json'] = './package.json';
  published.types = './index.d.ts';
  published.files = ['**/*.js', '**/*.d.ts', 'README.md', 'LICENSE'];
  // Workspace-only packages are bundled, not depended on; the published manifest's own
  // dependencies (e.g. zod for the SDK's types) come from `publishDependencies`.
  const dependencies = { ...source.dependencies, ...source.publishDependencies };
  for (const bundled of Object.keys(dependencies)) if (spec.bundle?.some((re) => re.test(bundled))) delete dependencies[bundled];
  if (Object.keys(dependencies).length > 0) published.dependencies = dependencies;
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  await copyFile(path.join(dir, 'README.md'), path.join(outDir, 'README.md'));
  await copyFile(path.join(dir, 'LICENSE'), path.join(outDir, 'LICENSE'));
}

/**
 * tsc's declarations of the package's source, placed beside the bundles, with the specifiers only
 * the workspace can resolve rewritten into relative ones: the SDK's `#sdk/x` imports become
 * `./x.js`, and its `@portcullis/contract[/x]` imports point at the contract's declarations shipped
 * in `contract/`; extensionless relative imports (react, nextjs) get the `.js` NodeNext needs.
 */
async function declarations(names) {
  const tmp = await mkdtemp(path.join(tmpdir(), 'portcullis-dts-'));
  try {
    // One program for all packages: a single type-check is most of the build's time.
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['-p', TSCONFIG, '--declaration', '--emitDeclarationOnly', '--outDir', tmp, '--rootDir', path.join(ROOT, 'packages')];
    execFileSync(process.execPath, [tsc, ...args], { stdio: 'inherit' });
    for (const name of names) {
      const outDir = path.join(ROOT, 'packages', name, 'dist');
      await copyDeclarations(path.join(tmp, name, 'src'), outDir, (text) =>
        text
          .replace(/(['"])#sdk\/([\w./-]+)\1/g, '$1./$2.js$1')
          .replace(/(['"])@portcullis\/contract\1/g, '$1./contract/index.js$1')
          .replace(/(['"])@portcullis\/contract\/([\w-]+)\1/g, '$1./contract/$2.js$1')
          .replace(/(['"])(\.\.?\/[\w./-]*?)(?<!\.js)\1/g, '$1$2.js$1')
          // Next.js has no exports map: NodeNext needs the file (as the bundles import it).
          .replace(/(['"])next\/(headers|server)\1/g, '$1next/$2.js$1'),
      );
      if (name === 'sdk') await copyDeclarations(path.join(tmp, 'contract', 'src'), path.join(outDir, 'contract'), (text) => text);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function copyDeclarations(from, to, rewrite) {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await copyDeclarations(path.join(from, entry.name), path.join(to, entry.name), rewrite);
    else if (entry.name.endsWith('.d.ts')) await writeFile(path.join(to, entry.name), rewrite(await readFile(path.join(from, entry.name), 'utf8')));
  }
}

const given = process.argv.slice(2);
const names = given.length > 0 ? given : Object.keys(PACKAGES);
for (const name of names) await buildPackage(name);
await declarations(names);
console.warn(`built ${names.map((name) => `packages/${name}/dist`).join(', ')}`);
