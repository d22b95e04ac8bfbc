import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';
import { createRedisClient } from './redis.js';

/**
 * Fan-out of small events (revocations, key rotations, cache invalidations) to every API instance: PostgreSQL
 * LISTEN/NOTIFY on a real server, and Redis pub/sub beside it when REDIS_URL is set; in-process on
 * PGlite (which only one process can open anyway). With both, every message travels on both and
 * receivers apply it idempotently, so Redis down or frozen delays nothing: PostgreSQL carries it.
 * Delivery is best effort; receivers also re-read the database periodically and after every
 * reconnect, so a lost message delays an update but never loses it.
 */

export type BusMessage =
  /** `sentAt` (ms since the epoch): when it was published, for the metrics' bus lag. */
  | { type: 'revocations'; entries: RevocationMessage[]; sentAt?: number }
  /** `id` lets the announcer see its own message come back (services/keyAnnouncement.ts). */
  | { type: 'keys'; id?: string }
  | InvalidationMessage;

/** Users and sessions whose cached copy (services/identityCache.ts) is out of date; `all`: every entry. */
export interface InvalidationMessage {
  type: 'invalidate';
  users?: string[];
  sessions?: string[];
  all?: boolean;
}

export interface RevocationMessage {
  /** `org_role`: `role` is `<organizationId>:<orgRole>` (empty after `:` once removed); see services/orgRevocations.ts. */
  kind: 'session' | 'user' | 'role' | 'org_role';
  subject: string;
  role?: string | null;
  expiresAt: number;
}

export interface Bus {
  publish(message: BusMessage): Promise<void>;
  /** `onMessage` for each message; `onReconnect` after a lost connection came back. */
  subscribe(onMessage: (message: BusMessage) => void, onReconnect: () => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'portcullis_events';
/** NOTIFY payloads are limited to 8000 bytes; larger revocation batches are split. */
const MAX_ENTRIES_PER_MESSAGE = 60;

export function createBus(options: { databaseUrl?: string; redisUrl?: string; logger: Logger }): Bus {
  // PGlite: this process is the only one on its database, so it always hears itself at once.
  const buses: Bus[] = [options.databaseUrl ? new PostgresBus(options.databaseUrl, options.logger) : new LocalBus()];
  if (options.redisUrl) buses.push(new RedisBus(options.redisUrl, options.logger));
  const [only, ...more] = buses;
  return only && more.length === 0 ? only : new BothBuses(buses);
}

/**
 * Publishes on every bus and resolves as soon as one has taken the message (a frozen Redis never
 * holds a logout); receives from all of them. Receivers must apply messages idempotently: each
 * one usually arrives twice.
 */
class BothBuses implements Bus {
  constructor(private readonly buses: Bus[]) {}

  async publish(message: BusMessage) {
    await Promise.any(this.buses.map((bus) => bus.publish(message)));
  }

  subscribe(onMessage: (message: BusMessage) => void, onReconnect: () => void) {
    for (const bus of this.buses) bus.subscribe(onMessage, onReconnect);
  }

  async close() {
    await Promise.all(this.buses.map((bus) => bus.close()));
  }
}

function split(message: BusMessage): BusMessage[] {
  if (message.type === 'invalidate') return splitInvalidation(message);
  if (message.type !== 'revocations' || message.entries.length <= MAX_ENTRIES_PER_MESSAGE) return [message];
  const parts: BusMessage[] = [];
  for (let i = 0; i < message.entries.length; i += MAX_ENTRIES_PER_MESSAGE) {
    parts.push({ type: 'revocations', entries: message.entries.slice(i, i + MAX_ENTRIES_PER_MESSAGE), sentAt: message.sentAt });
  }
  return parts;
}

/** A UUID is 36 characters (40 quoted with its comma): 150 of them stay far below the NOTIFY limit. */
const MAX_IDS_PER_MESSAGE = 150;

function splitInvalidation(message: InvalidationMessage): BusMessage[] {
  const ids = [...(message.users ?? []).map((id) => ['users', id] as const), ...(message.sessions ?? []).map((id) => ['sessions', id] as const)];
  if (message.all || ids.length <= MAX_IDS_PER_MESSAGE) return [message];
  const parts: BusMessage[] = [];
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) {
    const slice = ids.slice(i, i + MAX_IDS_PER_MESSAGE);
    parts.push({
      type: 'invalidate',
      users: slice.flatMap(([k, id]) => (k === 'users' ? [id] : [])),
      sessions: slice.flatMap(([k, id]) => (k === 'sessions' ? [id] : [])),
    });
  }
  return parts;
}

const isIdList = (value: unknown) => value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'));

function parse(payload: string): BusMessage | undefined {
  try {
    const message = JSON.parse(payload) as BusMessage;
    if (!message) return undefined;
    if (message.type === 'keys' || (message.type === 'revocations' && Array.isArray(message.entries))) return message;
    if (message.type === 'invalidate' && isIdList(message.users) && isIdList(message.sessions)) return message;
    return undefined;
  } catch {
    return undefined;
  }
}

class LocalBus implements Bus {
  private emitter = new EventEmitter();
  async publish(message: BusMessage) {
    this.emitter.emit('message', message);
  }
  subscribe(onMessage: (message: BusMessage) => void) {
    this.emitter.on('message', onMessage);
  }
  async close() {
    this.emitter.removeAllListeners();
  }
}

class PostgresBus implements Bus {
  private listener?: pg.Client;
  private closed = false;
  private publisher: pg.Pool;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    // Bounded like the main pool: a publish after a commit must never hold the request forever.
    this.publisher = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 3_000, query_timeout: 5_000 });
    this.publisher.on('error', () => {});
  }

  async publish(message: BusMessage) {
    for (const part of split(message)) {
      await this.publisher.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(part)]);
    }
  }

  subscribe(onMessage: (message: BusMessage) => void, onReconnect: () => void) {
    const connect = async (attempt: number): Promise<void> => {
      if (this.closed) return;
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 3_000 });
      client.on('notification', (n) => {
        const message = n.payload ? parse(n.payload) : undefined;
        if (message) onMessage(message);
      });
      client.on('error', () => {});
      client.on('end', () => {
        if (this.closed) return;
        this.logger.warn('event listener lost its database connection; reconnecting');
        setTimeout(() => void connect(1), 1_000).unref();
      });
      try {
        await client.connect();
        await client.query(`listen ${CHANNEL}`);
        // Closed while connecting (a CLI command that ended quickly on a busy machine): this
        // connection would otherwise stay open and keep the process alive for ever.
        if (this.closed) {
          await client.end().catch(() => {});
          return;
        }
        this.listener = client;
        if (attempt > 0) onReconnect();
      } catch {
        await client.end().catch(() => {});
      }
    };
    void connect(0);
  }

  async close() {
    this.closed = true;
    await this.listener?.end().catch(() => {});
    await this.publisher.end().catch(() => {});
  }
}

class RedisBus implements Bus {
  private publisher: Redis;
  private subscriber?: Redis;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    // Bounded: a publish to a frozen Redis fails after a short timeout instead of hanging.
    this.publisher = createRedisClient(url);
    this.publisher.on('error', () => {});
  }

  async publish(message: BusMessage) {
    for (const part of split(message)) await this.publisher.publish(CHANNEL, JSON.stringify(part));
  }

  subscribe(onMessage: (message: BusMessage) => void, onReconnect: () => void) {
    // Nothing waits on the subscriber, so it may queue its SUBSCRIBE until connected (and resubscribes by itself).
    const subscriber = createRedisClient(this.url, { enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    let connectedOnce = false;
    subscriber.on('error', () => {});
    subscriber.on('ready', () => {
      if (connectedOnce) {
        this.logger.warn('event listener reconnected to Redis');
        onReconnect();
      }
      connectedOnce = true;
    });
    subscriber.on('message', (_channel: string, payload: string) => {
      const message = parse(payload);
      if (message) onMessage(message);
    });
    void subscriber.subscribe(CHANNEL).catch(() => {});
  }

  async close() {
    this.subscriber?.disconnect();
    this.publisher.disconnect();
  }
}
