/**
 * `npm run bench`: the API's hot paths beside a bare Express handler (and a bare node:http one),
 * the raw hash rate of the configured password algorithm and, on PostgreSQL, the refresh
 * rotation's own SQL sent by a bare `pg` pool, all measured in one run on one machine.
 *
 * It starts what it measures (bench/lib/targets.ts, NODE_ENV=production, RATE_LIMITS=off, on the
 * embedded database, or on PostgreSQL when DATABASE_URL is set: it then writes a few accounts and
 * sessions there). Every path is measured in rounds that alternate with its baseline, so a burst
 * of other load on the machine hits both; the table shows medians over the rounds, and each ratio
 * is the median of the per-round ratios. The load generator shares the machine: read the ratios,
 * not the absolute numbers. It passes or fails nothing.
 *
 *   --quick           2 rounds of 1 s per path (default: 3 rounds of 3 s; BENCH_ROUNDS, BENCH_SECONDS)
 *   --only=a,b        only these rows: node-http, born, headers, healthz, me, session, sdk, login, refresh,
 *                     web (TTFB of the web app: builds it first if needed), memory, startup
 *   --cpu-prof=DIR    write a CPU profile of the measured process to DIR (node --cpu-prof)
 *
 * After the table: the web app's time to first byte at 1, 4 and 16 concurrent page views, the
 * memory per 100,000 users and 10,000 live sessions, and `bench/startup.ts` (cold first start
 * and warm restarts to serving, embedded database) run as it is, 3 restarts.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { createAccount, PASSWORD, refreshTokens } from './lib/accounts.js';
import { CONNECTIONS, load, median, type LoadRequest, type Sample } from './lib/load.js';
import { medianMachineCpu, perAnswer, readMachineCpu } from './lib/machineCpu.js';
import { memoryRows } from './lib/memory.js';
import { NODE_HTTP, printTable, type Row } from './lib/report.js';
import { rotationLoad } from './lib/rotations.js';
import { startTarget } from './lib/target.js';
import { webRows } from './lib/web.js';

const args = process.argv.slice(2);
const flag = (name: string) =>
  args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.split('=')[1] ?? (args.includes(`--${name}`) ? '' : undefined);
const quick = flag('quick') !== undefined;
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 3));
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 1 : 3));
const only = flag('only')?.split(',');
const wanted = (key: string) => !only || only.includes(key);

const loadBefore = os.loadavg();
const target = await startTarget({ cpuProfileDir: flag('cpu-prof') || undefined });
const { api, express, born, http, sdk } = target.ready;
const rows: Row[] = [];
const after: string[] = [];

try {
  const account = await createAccount(api);
  const bearer = { authorization: `Bearer ${account.accessToken}` };
  const healthz: LoadRequest = { path: '/healthz' };
  const protectedRoute: LoadRequest = { path: '/protected', headers: bearer };

  // JIT and pools warm before anything counts.
  for (const [url, request] of [
    [express, healthz],
    [http, healthz],
    [born, healthz],
    [api, healthz],
    [api, { path: '/api/auth/me', headers: bearer }],
    [sdk, protectedRoute],
    [express, protectedRoute],
  ] as const) {
    await load(url, request, 1);
  }

  /** CPU time the target process, and the whole machine, spend per answer while `measure` runs (load.ts, Sample). */
  async function withCpu(measure: () => Promise<Sample>): Promise<Sample> {
    const targetCpu = () => target.ask<number>({ kind: 'cpu' });
    const before = await readMachineCpu(targetCpu);
    const targetBefore = before?.target ?? (await targetCpu());
    const s = await measure();
    const after = await readMachineCpu(targetCpu);
    const used = (after?.target ?? (await targetCpu())) - targetBefore;
    const answers = s.rps * seconds;
    return { ...s, cpuUs: answers > 0 ? used / answers : NaN, machineCpu: perAnswer(before, after, answers) };
  }

  /**
   * Alternates baseline and subject for every round; the ratios are the medians of the per-round
   * ratios. Returns the baseline's samples, for a row of its own.
   */
  async function versus(label: string, subject: () => Promise<Sample>, baseline: () => Promise<Sample>, relativeTo: string): Promise<Sample[]> {
    const subjects: Sample[] = [];
    const bases: Sample[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const base = await withCpu(baseline);
      bases.push(base);
      const s = await withCpu(subject);
      subjects.push(s);
      ratios.push(s.rps / base.rps);
      // Work per answer, baseline ÷ subject: 1.00 means the path costs the process what the baseline does.
      cpuRatios.push(base.cpuUs! / s.cpuUs!);
    }
    rows.push(summarise(label, subjects, median(ratios), relativeTo, median(cpuRatios)));
    return bases;
  }

  const summarise = (label: string, samples: Sample[], ratio: number | undefined, relativeTo: string, cpuRatio?: number): Row => ({
    label,
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    failures: samples.reduce((n, s) => n + s.failures, 0),
    ratio,
    relativeTo,
    ...(samples.some((s) => s.cpuUs !== undefined) && { cpuUs: median(samples.map((s) => s.cpuUs ?? NaN)) }),
    ...(cpuRatio !== undefined && { cpuRatio }),
    machineCpu: medianMachineCpu(samples),
  });

  const baselineSamples: Sample[] = [];
  const bareExpress = async () => {
    const s = await withCpu(() => load(express, healthz, seconds));
    baselineSamples.push(s);
    return s;
  };
  const EXPRESS = 'bare Express';
  if (wanted('node-http')) await versus(NODE_HTTP, () => load(http, healthz, seconds), bareExpress, EXPRESS);
  if (wanted('born')) await versus('bare Express, born with its prototypes', () => load(born, healthz, seconds), bareExpress, EXPRESS);
  if (wanted('headers')) await versus("bare Express + /healthz's headers", () => load(express, { path: '/healthz-headers' }, seconds), bareExpress, EXPRESS);
  if (wanted('healthz')) await versus('GET /healthz (whole chain)', () => load(api, healthz, seconds), bareExpress, EXPRESS);
  if (wanted('me')) await versus('GET /api/auth/me', () => load(api, { path: '/api/auth/me', headers: bearer }, seconds), bareExpress, EXPRESS);
  if (wanted('session'))
    await versus(
      'GET /api/auth/session (cookie)',
      () => load(api, { path: '/api/auth/session', headers: { cookie: account.sessionCookie } }, seconds),
      bareExpress,
      EXPRESS,
    );
  if (wanted('sdk'))
    await versus(
      'SDK requireAccessToken route',
      () => load(sdk, protectedRoute, seconds),
      () => load(express, protectedRoute, seconds),
      'same route, bare',
    );

  if (wanted('login')) {
    const login = () =>
      load(
        api,
        {
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: account.email, password: PASSWORD }),
        },
        seconds,
      );
    // The comparison, kept: the hasher alone, in process, no HTTP and no load generator.
    const hashes = await versus(
      'POST /api/auth/login',
      login,
      async () => {
        const rate = await target.ask<number>({ kind: 'hashRate', concurrency: CONNECTIONS, ms: seconds * 1000 });
        return { rps: rate, p50: NaN, p99: NaN, failures: 0 };
      },
      `${target.hash} hash rate`,
    );
    // The fairer one: the same hasher behind a bare Express route, loaded like the login.
    const verifyRoute = () =>
      load(
        express,
        { method: 'POST', path: '/verify', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) },
        seconds,
      );
    const verifies = await versus('POST /api/auth/login', login, verifyRoute, `${target.hash} behind bare Express`);
    rows.push(summarise(`${target.hash} verify behind bare Express (POST /verify)`, verifies, undefined, ''));
    rows.push(summarise(`${target.hash} verify, API's hasher, ${CONNECTIONS} in flight`, hashes, undefined, ''));
    await loginBesideTheHash(login, hashes);
  }

  /**
   * The same login with the API's hasher swapped for one that answers at once (targets.ts, bench
   * only): what the login costs the machine beside the hash. With the hash's own cost it bounds
   * login ÷ hash rate on this machine, however cheap the API's code: hash ÷ (hash + the rest).
   * The bound is generous: alone, the rest does not compete with hashes for the caches.
   */
  async function loginBesideTheHash(login: () => Promise<Sample>, hashes: Sample[]) {
    const samples: Sample[] = [];
    await target.ask({ kind: 'instantHasher', on: true });
    try {
      for (let r = 0; r < rounds; r++) samples.push(await withCpu(login));
    } finally {
      await target.ask({ kind: 'instantHasher', on: false });
    }
    rows.push(summarise('POST /api/auth/login, hash left out (bench only)', samples, undefined, ''));
    const hash = median(hashes.map((s) => s.machineCpu?.machine ?? NaN));
    const rest = median(samples.map((s) => s.machineCpu?.machine ?? NaN));
    if (Number.isFinite(hash) && Number.isFinite(rest))
      after.push(
        `login ÷ ${target.hash} hash rate can reach at most ${(hash / (hash + rest)).toFixed(2)} on this machine: a hash costs it ` +
          `${Math.round(hash)} µs of CPU, the login's work beside the hash ${Math.round(rest)} µs (HTTP, database, load generator).`,
      );
  }

  if (wanted('refresh')) await refreshRows();

  async function refreshRows() {
    let apiTokens = await refreshTokens(api, account.email, CONNECTIONS);
    const viaApi = async () => {
      const r = await rotationLoad(api, apiTokens, seconds);
      apiTokens = r.tokens;
      return r;
    };
    const label = `POST /api/auth/refresh (${CONNECTIONS} sessions)`;
    if (target.database !== 'postgres') {
      const samples: Sample[] = [];
      for (let r = 0; r < rounds; r++) samples.push(await withCpu(viaApi));
      rows.push(summarise(label, samples, undefined, ''));
      return;
    }
    let sqlTokens = await refreshTokens(api, account.email, CONNECTIONS);
    const viaPg = async (): Promise<Sample> => {
      const r = await target.ask<{ rate: number; p50: number; p99: number; tokens: string[] }>({ kind: 'rotationSql', tokens: sqlTokens, ms: seconds * 1000 });
      sqlTokens = r.tokens;
      return { rps: r.rate, p50: r.p50, p99: r.p99, failures: 0 };
    };
    const sql = await versus(label, viaApi, viaPg, 'same SQL by bare pg');
    rows.push(summarise(`rotation SQL, bare pg pool (${target.poolSize})`, sql, undefined, ''));
  }

  if (baselineSamples.length) rows.unshift(summarise('bare Express handler (baseline)', baselineSamples, 1, EXPRESS, 1));

  // The web app in front of this API; a failure here (no build possible) is reported, not fatal.
  if (wanted('web')) {
    try {
      for (const { label, sample } of await webRows(api, account.sessionCookie, seconds))
        rows.push({ ...summarise(label, [sample], undefined, ''), label: `${label} (TTFB)` });
    } catch (error) {
      after.push(`web rows not measured: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (wanted('memory')) after.push('', ...(await memoryRows(target, api)));
} finally {
  await target.stop();
}

printTable(rows, {
  database: target.database === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite (memory://)',
  alg: target.alg,
  rounds,
  seconds,
  loadBefore,
  loadAfter: os.loadavg(),
});
for (const line of after) console.log(line);

// Start-up is measured by its own bench (a fresh process each time, so not in the table's process).
if (wanted('startup')) {
  console.log('');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/startup.ts', `--rounds=${quick ? 1 : 3}`], { stdio: 'inherit' });
  await new Promise((resolve) => child.once('exit', resolve));
}
