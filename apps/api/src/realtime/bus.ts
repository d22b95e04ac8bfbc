import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * Fan-out of small events (revocations, key rotations) to every API instance: PostgreSQL
 * LISTEN/NOTIFY on a real server, Redis pub/sub when REDIS_URL is set, in-process on PGlite (which
 * only one process can open anyway). Delivery is best effort; receivers also re-read the database
 * periodically and after every reconnect, so a lost message delays an update but never loses it.
 */

export type BusMessage =
  | { type: 'revocations'; entries: RevocationMessage[] }
  | { type: 'keys' };

export interface RevocationMessage {
  kind: 'session' | 'user' | 'role';
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
  if (options.redisUrl) return new RedisBus(options.redisUrl, options.logger);
  if (options.databaseUrl) return new PostgresBus(options.databaseUrl, options.logger);
  return new LocalBus();
}

function split(message: BusMessage): BusMessage[] {
  if (message.type !== 'revocations' || message.entries.length <= MAX_ENTRIES_PER_MESSAGE) return [message];
  const parts: BusMessage[] = [];
  for (let i = 0; i < message.entries.length; i += MAX_ENTRIES_PER_MESSAGE) {
    parts.push({ type: 'revocations', entries: message.entries.slice(i, i + MAX_ENTRIES_PER_MESSAGE) });
  }
  return parts;
}

function parse(payload: string): BusMessage | undefined {
  try {
    const message = JSON.parse(payload) as BusMessage;
    return message && (message.type === 'keys' || (message.type === 'revocations' && Array.isArray(message.entries))) ? message : undefined;
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
    this.publisher = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.publisher.on('error', () => {});
  }

  async publish(message: BusMessage) {
    for (const part of split(message)) await this.publisher.publish(CHANNEL, JSON.stringify(part));
  }

  subscribe(onMessage: (message: BusMessage) => void, onReconnect: () => void) {
    const subscriber = new Redis(this.url);
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
