import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/client.js';
import { handleClientError } from './http/clientError.js';
import { capConnections } from './http/connectionCap.js';
import { createLifecycle, drainable, type DrainResult } from './http/drain.js';
import { createMailer } from './mail/sender.js';
import { createBus } from './realtime/bus.js';
import { createRedisClient, redisReady, RedisHealth } from './realtime/redis.js';
import { recordAudit } from './services/audit.js';
import { FollowUps, watchCommitOutcomes } from './services/commitOutcome.js';
import { KeyAnnouncements } from './services/keyAnnouncement.js';
import { startCleanupJob } from './services/cleanup.js';
import { bootstrapAdmin } from './services/bootstrap.js';
import { KeyRing } from './services/keyRing.js';
import { createPasswordHasher } from './services/passwords.js';
import { createRateLimits, deploymentNamespace } from './services/rateLimits.js';
import { createRevocationPublisher, deleteExpiredRevocations, loadRevocations, republishRecentRevocations, RevocationList } from './services/revocations.js';
import { deriveKey } from './services/secrets.js';

/** Builds everything the API needs, in dependency order, and tears it down in reverse. */

export interface RunningServer {
  ctx: AppContext;
  server: Server;
  url: string;
  /**
   * Drains (http/drain.ts: stop accepting, finish in-flight requests within SHUTDOWN_TIMEOUT),
   * then closes the mailer, the bus, Redis and the database. Says how the drain went.
   */
  shutdown(): Promise<DrainResult>;
  /** shutdown(), for callers that need no report. */
  close(): Promise<void>;
}

export async function createContext(config: Config, logger: Logger = pino({ level: config.LOG_LEVEL })): Promise<AppContext & { close(): Promise<void> }> {
  for (const notice of config.notices) logger.warn(notice);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
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
  await keyRing.start();
  // Limits counted before Redis answers would fall to this instance's own counters: wait for it
  // briefly (not at all when it refuses the connection). Still unreachable after that, the
  // per-instance fallback covers, and says so.
  if (redis && !(await redisReady(redis, 5_000))) logger.warn('redis not ready: rate limits count per instance until it is');

  const revocations = new RevocationList();
  const mailer = createMailer({ db: database.db, config, logger });
  const ctx: AppContext = {
    config,
    logger,
    database,
    db: database.db,
    bus,
    redis,
    redisHealth,
    keyRing,
    tokens: { keyRing, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlMs: config.JWT_ACCESS_TTL, includeAmr: config.ADMIN_REQUIRE_MFA },
    passwords: createPasswordHasher(config.PASSWORD_HASH),
    revocations,
    rateLimits: createRateLimits(config, redisHealth, await deploymentNamespace(database.db)),
    publishRevocations: createRevocationPublisher(revocations, bus),
    followUps,
    keyAnnouncements: new KeyAnnouncements(bus),
    mailer,
    lifecycle: createLifecycle(),
    keys: {
      encryption,
      refreshSuccessor: deriveKey(config.SECRET_KEY, 'refresh-successor'),
      sessionCookie: deriveKey(config.SECRET_KEY, 'session-cookie'),
      oauthState: deriveKey(config.SECRET_KEY, 'oauth-state'),
    },
  };

  const reloadRevocations = () => loadRevocations(database.db, revocations).catch((err) => logger.warn({ err: { message: err.message } }, 'could not reload revocations'));
  // A COMMIT whose answer was lost may hold revocations (or a session nobody received): once the
  // database answers, every instance hears of them again (services/commitOutcome.ts).
  watchCommitOutcomes(database.db, (tasks, startedAt) => {
    logger.warn('a transaction ended without a known outcome: re-publishing its revocations once the database answers');
    followUps.run('republish revocations', () => republishRecentRevocations(database.db, ctx.publishRevocations, startedAt));
    for (const task of tasks) followUps.run('transaction follow-up', task);
  });
  await loadRevocations(database.db, revocations);
  // Messages arrive once per bus (PostgreSQL and Redis): applying them twice is harmless.
  bus.subscribe(
    (message) => {
      if (message.type === 'revocations') revocations.apply(message.entries);
      else if (message.type === 'keys') {
        void keyRing.reload().catch(() => {});
        ctx.keyAnnouncements.received(message.id);
      }
    },
    () => {
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
    setInterval(() => {
      void keyRing
        .rotateIfDue((tx, change) => recordAudit(tx, { type: 'keys.rotated', userId: null, actorId: null, details: { ...change, trigger: 'schedule' } }))
        .then(async (rotated) => {
          if (rotated) await bus.publish({ type: 'keys' });
        })
        .catch((err) => logger.warn({ err: { message: err.message } }, 'key rotation check failed'));
    }, Math.min(config.KEY_ROTATION_INTERVAL / 4, 60 * 60_000)),
  ];
  // A safety net for a missed `keys` event: no instance keeps signing with a retired key for long.
  timers.push(setInterval(() => void keyRing.reload().catch(() => {}), 60_000));
  for (const t of timers) t.unref();
  const stopCleanup = startCleanupJob(database.db, config, logger);

  return {
    ...ctx,
    async close() {
      for (const t of timers) clearInterval(t);
      stopCleanup();
      followUps.close();
      redisHealth?.close();
      await mailer.close();
      await bus.close();
      redis?.disconnect();
      await database.close();
    },
  };
}

export async function startServer(config: Config, options: { logger?: Logger; port?: number; host?: string } = {}): Promise<RunningServer> {
  const ctx = await createContext(config, options.logger);
  await bootstrapAdmin(ctx).catch(async (error) => {
    await ctx.close();
    throw error;
  });
  const app = createApp(ctx);
  // Header and request timeouts are checked every second (Node's default, 30 s, would let a
  // stalled client hold its connection up to 30 s past headersTimeout).
  const server = createHttpServer({ connectionsCheckingInterval: 1_000 }, app);
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
  const { port } = server.address() as AddressInfo;
  const running: RunningServer = {
    ctx,
    server,
    url: `http://127.0.0.1:${port}`,
    async shutdown() {
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

