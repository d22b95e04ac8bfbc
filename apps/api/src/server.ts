import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { createApp } from './app.js';
import { expressServerClasses } from './http/expressServerClasses.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { databaseOptions, openDatabase, type Database } from './db/client.js';
import { handleClientError } from './http/clientError.js';
import { capConnections } from './http/connectionCap.js';
import { createLifecycle, drainable, type DrainResult } from './http/drain.js';
import { createMailer } from './mail/sender.js';
import { createWebhookSender } from './services/webhooks/sender.js';
import { startMetricsServer } from './http/metricsEndpoint.js';
import { addMetricsSource, observeBusLag } from './services/metrics.js';
import { and, count, isNull, lt } from 'drizzle-orm';
import { mailMessages } from './db/schema.js';
import { createBus } from './realtime/bus.js';
import { createRedisClient, redisReady, RedisHealth } from './realtime/redis.js';
import { recordAudit } from './services/audit.js';
import { FollowUps, watchCommitOutcomes } from './services/commitOutcome.js';
import { IdentityCache } from './services/identityCache.js';
import { CLOCK_TOLERANCE_S } from './services/accessTokens.js';
import { VerifiedTokens } from './services/verifiedTokens.js';
import { KeyAnnouncements } from './services/keyAnnouncement.js';
import { startCleanupJob } from './services/cleanup.js';
import { bootstrapAdmin } from './services/bootstrap.js';
import { KeyRing } from './services/keyRing.js';
import { createPasswordHasher } from './services/passwords.js';
import { createRateLimits, deploymentNamespace } from './services/rateLimits.js';
import { createRevocationPublisher, deleteExpiredRevocations, loadRevocations, republishRecentRevocations, RevocationList } from './services/revocations.js';
import { deriveKey } from './services/secrets.js';
import { setMailBrand } from './mail/templates/layout.js';

/** Builds everything the API needs, in dependency order, and tears it down in reverse. */

/** Milliseconds per start-up step, in the order they ran (logged with `Portcullis API listening`). */
export type StartupPhases = Record<string, number>;

/** Records how long each step since the last mark took, under the step's name (no name: the steps in between were timed apart). */
function phaseTimer(phases: StartupPhases) {
  let last = performance.now();
  return (name?: string) => {
    const now = performance.now();
    if (name) phases[name] = Math.round(now - last);
    last = now;
  };
}

/** Records how long one of several steps running at once took, from its own start. */
async function timed<T>(phases: StartupPhases, name: string, step: Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await step;
  phases[name] = Math.round(performance.now() - started);
  return result;
}

export interface RunningServer {
  ctx: AppContext;
  /** How long each start-up step took. */
  startup: StartupPhases;
  server: Server;
  url: string;
  /** `/metrics` on its own listener, when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /**
   * Drains (http/drain.ts: stop accepting, finish in-flight requests within SHUTDOWN_TIMEOUT),
   * then closes the mailer, the bus, Redis and the database. Says how the drain went.
   */
  shutdown(): Promise<DrainResult>;
  /** shutdown(), for callers that need no report. */
  close(): Promise<void>;
}

export async function createContext(
  config: Config,
  logger: Logger = pino({ level: config.LOG_LEVEL }),
  phases: StartupPhases = {},
  /** The database, when the caller started opening it already (main.ts, while this module loaded). */
  opening?: Promise<Database>,
): Promise<AppContext & { close(): Promise<void> }> {
  for (const notice of config.notices) logger.warn(notice);
  setMailBrand({ appName: config.APP_NAME, logoUrl: config.APP_LOGO_URL, accentColor: config.APP_ACCENT_COLOR });
  const mark = phaseTimer(phases);
  const database = await (opening ?? openDatabase(databaseOptions(config)));
  Object.assign(phases, { databaseOpenMs: database.openedIn.openMs, migrationsMs: database.openedIn.migrationsMs });
  mark('databaseMs');
  // Every Redis call is bounded (realtime/redis.ts): Redis down or frozen slows nothing down.
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL) : undefined;
  redis?.on('error', (error) => logger.warn({ err: { message: error.message } }, 'redis error'));
  const redisHealth = redis ? new RedisHealth(redis, logger) : undefined;
  const bus = createBus({ databaseUrl: database.url, redisUrl: config.REDIS_URL, logger });
  const followUps = new FollowUps(logger);
  const encryption = deriveKey(config.SECRET_KEY, 'encryption');
  const keyRing = new KeyRing({
    db: database.db,
    alg: config.JWT_ALG,
    encryptionKey: encryption,
    retiredKeyTtlMs: config.JWT_ACCESS_TTL + config.KEY_RETIRE_GRACE,
    rotationIntervalMs: config.KEY_ROTATION_INTERVAL,
    prepublishMs: config.KEY_PREPUBLISH,
  });
  const revocations = new RevocationList();
  const identities = new IdentityCache();
  // Independent of one another, so at once: the key ring (which creates the first key of a new
  // database), the revocations in force, and the wait for Redis. Limits counted before Redis
  // answers would fall to this instance's own counters: it is waited for briefly (not at all when
  // it refuses the connection); still unreachable after that, the per-instance fallback covers,
  // and says so. The deployment's namespace (its first key) needs the key ring started.
  const [, redisUp] = await Promise.all([
    timed(phases, 'keyRingMs', keyRing.start()),
    redis ? timed(phases, 'redisMs', redisReady(redis, 5_000)) : true,
    timed(phases, 'revocationsMs', loadRevocations(database.db, revocations)),
  ]);
  mark();
  if (!redisUp) logger.warn('redis not ready: rate limits count per instance until it is');
  const namespace = await deploymentNamespace(database.db);
  mark('namespaceMs');
  const mailer = createMailer({ db: database.db, config, logger });
  const webhooks = createWebhookSender({ db: database.db, config, logger });
  const ctx: AppContext = {
    config,
    logger,
    database,
    db: database.db,
    bus,
    redis,
    redisHealth,
    keyRing,
    tokens: {
      keyRing,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlMs: config.JWT_ACCESS_TTL,
      includeAmr: config.ADMIN_REQUIRE_MFA,
      verified: new VerifiedTokens(10_000, CLOCK_TOLERANCE_S),
    },
    passwords: createPasswordHasher(config.PASSWORD_HASH, config.PASSWORD_HASH_CONCURRENCY),
    revocations,
    rateLimits: createRateLimits(config, redisHealth, namespace),
    publishRevocations: createRevocationPublisher(revocations, bus, identities),
    identities,
    async publishInvalidations(message) {
      // This instance drops at once; the others within the bus's latency.
      identities.invalidate(message);
      await bus.publish({ type: 'invalidate', ...message }).catch(() => {});
    },
    followUps,
    keyAnnouncements: new KeyAnnouncements(bus),
    mailer,
    webhooks,
    lifecycle: createLifecycle(),
    keys: {
      encryption,
      refreshSuccessor: deriveKey(config.SECRET_KEY, 'refresh-successor'),
      sessionCookie: deriveKey(config.SECRET_KEY, 'session-cookie'),
      oauthState: deriveKey(config.SECRET_KEY, 'oauth-state'),
    },
  };

  const reloadRevocations = () =>
    loadRevocations(database.db, revocations).catch((err) => logger.warn({ err: { message: err.message } }, 'could not reload revocations'));
  // A COMMIT whose answer was lost may hold revocations (or a session nobody received): once the
  // database answers, every instance hears of them again (services/commitOutcome.ts).
  watchCommitOutcomes(database.db, (tasks, startedAt) => {
    logger.warn('a transaction ended without a known outcome: re-publishing its revocations once the database answers');
    followUps.run('republish revocations', () => republishRecentRevocations(database.db, ctx.publishRevocations, startedAt));
    // It may also have changed users or sessions that instances hold cached: they all drop everything.
    followUps.run('flush identity caches', () => ctx.publishInvalidations({ all: true }));
    for (const task of tasks) followUps.run('transaction follow-up', task);
  });
  // Messages arrive once per bus (PostgreSQL and Redis): applying them twice is harmless.
  bus.subscribe(
    (message) => {
      if (message.type === 'revocations') {
        observeBusLag(message.sentAt);
        revocations.apply(message.entries);
        identities.applyRevocations(message.entries);
      } else if (message.type === 'invalidate') identities.invalidate(message);
      else if (message.type === 'keys') {
        void keyRing.reload().catch(() => {});
        ctx.keyAnnouncements.received(message.id);
      }
    },
    () => {
      // Messages may have been lost while the connection was down: nothing cached is trusted.
      identities.clear();
      void reloadRevocations();
      void keyRing.reload().catch(() => {});
    },
  );

  // Background upkeep: a safety net for missed events, pruning, and scheduled key rotation.
  const timers = [
    setInterval(() => {
      revocations.prune();
      void reloadRevocations();
    }, 30_000),
    setInterval(() => void deleteExpiredRevocations(database.db).catch(() => {}), 10 * 60_000),
    setInterval(
      () => {
        void keyRing
          .rotateIfDue((tx, change) => recordAudit(tx, { type: 'keys.rotated', userId: null, actorId: null, details: { ...change, trigger: 'schedule' } }))
          .then(async (rotated) => {
            if (rotated) await bus.publish({ type: 'keys' });
          })
          .catch((err) => logger.warn({ err: { message: err.message } }, 'key rotation check failed'));
      },
      Math.min(config.KEY_ROTATION_INTERVAL / 4, 60 * 60_000),
    ),
  ];
  // A safety net for a missed `keys` event: no instance keeps signing with a retired key for long.
  timers.push(setInterval(() => void keyRing.reload().catch(() => {}), 60_000));
  for (const t of timers) t.unref();
  const stopCleanup = startCleanupJob(database.db, config, logger);
  const removeMetricsSource = addMetricsSource({
    pool: database.pool,
    webhookQueue: () => webhooks.pending(),
    async mailQueue() {
      const [row] = await database.db
        .select({ n: count() })
        .from(mailMessages)
        .where(and(isNull(mailMessages.sentAt), lt(mailMessages.attempts, config.MAIL_MAX_ATTEMPTS)));
      return row?.n ?? 0;
    },
  });

  return {
    ...ctx,
    async close() {
      for (const t of timers) clearInterval(t);
      stopCleanup();
      removeMetricsSource();
      followUps.close();
      redisHealth?.close();
      await mailer.close();
      await webhooks.close();
      await bus.close();
      redis?.disconnect();
      await database.close();
    },
  };
}

export async function startServer(
  config: Config,
  options: { logger?: Logger; port?: number; host?: string; database?: Promise<Database> } = {},
): Promise<RunningServer> {
  const startup: StartupPhases = {};
  const ctx = await createContext(config, options.logger, startup, options.database);
  const mark = phaseTimer(startup);
  await bootstrapAdmin(ctx).catch(async (error) => {
    await ctx.close();
    throw error;
  });
  mark('bootstrapMs');
  const app = createApp(ctx);
  mark('appMs');
  // Header and request timeouts are checked every second (Node's default, 30 s, would let a
  // stalled client hold its connection up to 30 s past headersTimeout).
  // Requests and responses born with Express's prototypes (expressServerClasses.ts: issue 12).
  const server = createHttpServer({ connectionsCheckingInterval: 1_000, ...expressServerClasses(app) }, app);
  // Slow or stalled clients cannot hold connections open for long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.on('clientError', handleClientError);
  capConnections(server, config.MAX_CONNECTIONS, ctx.logger);
  const drain = drainable(server, ctx.lifecycle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.PORT, options.host ?? config.HOST, () => resolve());
  });
  const metricsServer = config.METRICS_PORT === undefined ? undefined : await startMetricsServer(config.METRICS_PORT, options.host ?? config.HOST);
  mark('listenMs');
  const { port } = server.address() as AddressInfo;
  const running: RunningServer = {
    ctx,
    startup,
    server,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: metricsServer && `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`,
    async shutdown() {
      metricsServer?.close();
      const result = await drain(config.SHUTDOWN_TIMEOUT);
      await ctx.close();
      return result;
    },
    async close() {
      await running.shutdown();
    },
  };
  return running;
}
