import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { Lifecycle } from './http/drain.js';
import type { Mailer } from './mail/sender.js';
import type { WebhookSender } from './services/webhooks/sender.js';
import type { Bus, InvalidationMessage, RevocationMessage } from './realtime/bus.js';
import type { RedisHealth } from './realtime/redis.js';
import type { AccessTokenOptions } from './services/accessTokens.js';
import type { FollowUps } from './services/commitOutcome.js';
import type { IdentityCache } from './services/identityCache.js';
import type { KeyAnnouncements } from './services/keyAnnouncement.js';
import type { KeyRing } from './services/keyRing.js';
import type { PasswordHasher } from './services/passwords.js';
import type { RateLimits } from './services/rateLimits.js';
import type { RevocationList } from './services/revocations.js';

/**
 * Everything the services need, built once at start-up (server.ts) and passed as the first
 * argument of every service function: no globals, so tests can run several servers in one process.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  database: Database;
  db: Db;
  bus: Bus;
  /** Present when REDIS_URL is set: shared rate limits and events. */
  redis?: Redis;
  /** Whether Redis answers now, and how often this instance did without it (realtime/redis.ts). */
  redisHealth?: RedisHealth;
  keyRing: KeyRing;
  tokens: AccessTokenOptions;
  passwords: PasswordHasher;
  revocations: RevocationList;
  /** Every rate limit of the contract (services/rateLimits.ts). */
  rateLimits: RateLimits;
  publishRevocations(entries: RevocationMessage[]): Promise<void>;
  /** Users and sessions as `GET /api/auth/me` and `/session` answer them, without a query (services/identityCache.ts). */
  identities: IdentityCache;
  /** Drops cached copies here at once and on every other instance through the bus (only services/transaction.ts calls it). */
  publishInvalidations(message: Omit<InvalidationMessage, 'type'>): Promise<void>;
  /** Work retried until the database answers, after a transaction whose outcome is unknown (services/commitOutcome.ts). */
  followUps: FollowUps;
  /** Announces a key-ring change to every instance and waits for the bus to deliver it. */
  keyAnnouncements: KeyAnnouncements;
  /** Whether this instance is draining for shutdown (http/drain.ts); readiness reads it. */
  lifecycle: Lifecycle;
  /** Delivers queued mail in the background (services/mail.ts enqueues). */
  mailer: Mailer;
  /** Delivers queued webhook events in the background (services/webhooks/outbox.ts enqueues). */
  webhooks: WebhookSender;
  keys: {
    encryption: Buffer;
    refreshSuccessor: Buffer;
    sessionCookie: Buffer;
    oauthState: Buffer;
  };
}

/** Who asked: recorded on sessions and audit events. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}
