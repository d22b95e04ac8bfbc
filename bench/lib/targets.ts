/**
 * The process `npm run bench` measures (bench/run.ts forks it): the API itself, started as
 * `npm start` would with the environment it is given, and beside it in the same process the
 * baselines it is compared with: a bare Express handler, a bare node:http handler, and an Express
 * route behind the SDK's requireAccessToken. Baselines and subjects share the process, so they
 * share its event loop, its libuv pool and whatever else the machine is doing.
 *
 * It also measures the raw ceilings on request (IPC), in this same process: the password hash
 * rate of the API's own hasher, and the refresh rotation's SQL issued by a bare `pg` pool.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { loadConfig } from '../../apps/api/src/config.js';
import { startServer } from '../../apps/api/src/server.js';
import { expressServerClasses } from '../../apps/api/src/http/expressServerClasses.js';
import { createPasswordHasher, type PasswordHasher } from '../../apps/api/src/services/passwords.js';
import { createVerifier, requireAccessToken } from '../../packages/sdk/src/server.js';
import { PASSWORD } from './accounts.js';
import { footprint, seedSessions, seedUsers } from './population.js';
import { rotationSqlRate } from './rotationSql.js';

const HEALTHY = JSON.stringify({ status: 'ok' });

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const config = loadConfig(process.env);
// The API logs every request at `info` as in production; the lines go to a null stdout.
const api = await startServer(config, { logger: pino({ level: config.LOG_LEVEL }), port: 0, host: '127.0.0.1' });

const bareExpress = express();
bareExpress.disable('x-powered-by');
bareExpress.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
bareExpress.get('/protected', (_req, res) => {
  res.json({ sub: 'anyone' });
});

// The same route again, putting on the wire every header /healthz's answer carries (security
// headers, Vary, X-Request-Id...): how much of the chain's cost is the bigger answer itself.
const WIRE_ONLY = new Set(['date', 'content-length', 'etag', 'connection', 'keep-alive', 'content-type']);
const healthzHeaders = [...(await fetch(`${api.url}/healthz`)).headers].filter(([name]) => !WIRE_ONLY.has(name));
bareExpress.get('/healthz-headers', (_req, res) => {
  for (const [name, value] of healthzHeaders) res.setHeader(name, value);
  res.json({ status: 'ok' });
});

const bareHttp = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(HEALTHY);
});

const verifier = createVerifier({
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  jwksUrl: `${api.url}/.well-known/jwks.json`,
  algorithms: [config.JWT_ALG],
});
const sdkApp = express();
sdkApp.disable('x-powered-by');
sdkApp.get('/protected', requireAccessToken(verifier), (req, res) => {
  res.json({ sub: (req as unknown as { auth: { sub: string } }).auth.sub });
});

// The same bare Express app served as the API serves its own: requests and responses born with
// Express's prototypes (apps/api/src/http/expressServerClasses.ts). The API's ratio to this one is
// what its middleware chain and routes cost; its ratio to bare Express includes the server's setup.
const bornExpress = express();
bornExpress.disable('x-powered-by');
bornExpress.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

const urls = {
  api: api.url,
  express: await listen(createServer(bareExpress)),
  born: await listen(createServer(expressServerClasses(bornExpress), bornExpress)),
  http: await listen(bareHttp),
  sdk: await listen(createServer(sdkApp)),
};

const hasher = createPasswordHasher(config.PASSWORD_HASH, config.PASSWORD_HASH_CONCURRENCY);
const BENCH_PASSWORD = 'Bench-Password-42-x';
const storedHash = await hasher.hash(BENCH_PASSWORD);

// A fairer ceiling for POST /api/auth/login than the in-process hash rate: the same hasher behind
// a bare Express route, loaded over HTTP by the same load generator (which then shares the cores
// with it, as it does with the API), parsing the same JSON body and answering a small JSON.
bareExpress.post('/verify', express.json(), async (req, res) => {
  const ok = await hasher.verify(storedHash, String((req.body as { password?: unknown }).password));
  res.status(ok ? 200 : 401).json({ ok });
});

/** Verifications per second of the API's own hasher with `concurrency` verifications in flight. */
async function hashRate(concurrency: number, ms: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await hasher.verify(storedHash, BENCH_PASSWORD);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

// Bench only, never in the API: its hasher swapped for one that answers at once, so that the
// login's work beside the hash (HTTP, the database, the load generator) is measured alone.
const apiHasher = api.ctx.passwords;
const instantHasher: PasswordHasher = { ...apiHasher, verify: async (_stored, password) => password === PASSWORD };
function useInstantHasher(on: boolean) {
  (api.ctx as { passwords: PasswordHasher }).passwords = on ? instantHasher : apiHasher;
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

type Command =
  | { id: number; kind: 'hashRate'; concurrency: number; ms: number }
  | { id: number; kind: 'rotationSql'; tokens: string[]; ms: number }
  | { id: number; kind: 'instantHasher'; on: boolean }
  | { id: number; kind: 'footprint' }
  | { id: number; kind: 'cpu' }
  | { id: number; kind: 'seedUsers'; count: number }
  | { id: number; kind: 'seedSessions'; tag: string; count: number }
  | { id: number; kind: 'stop' };

process.on('message', (command: Command) => {
  const answer = async () => {
    if (command.kind === 'hashRate') return hashRate(command.concurrency, command.ms);
    if (command.kind === 'rotationSql') return rotationSqlRate(config.DATABASE_URL!, command.tokens, command.ms, config.DATABASE_POOL_SIZE);
    if (command.kind === 'instantHasher') return useInstantHasher(command.on);
    if (command.kind === 'footprint') return footprint(api.ctx);
    // CPU time of this process (all its threads), µs: the bench divides a round's delta by its requests.
    if (command.kind === 'cpu') return cpuMicros();
    if (command.kind === 'seedUsers') return seedUsers(api.ctx, command.count);
    if (command.kind === 'seedSessions') return seedSessions(api.ctx, command.tag, command.count);
    await api.close();
    process.exit(0);
  };
  answer().then(
    (value) => process.send!({ id: command.id, value }),
    (error: Error) => process.send!({ id: command.id, error: error.message }),
  );
});

process.send!({ ready: urls, database: api.ctx.database.kind, hash: config.PASSWORD_HASH, alg: config.JWT_ALG, poolSize: config.DATABASE_POOL_SIZE });
