import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis is an accelerator (shared rate limits, fast event fan-out), never a dependency: every call
 * is bounded, nothing queues while it is unreachable, and a frozen server (connection open, no
 * answers) costs one short timeout before callers stop asking it until it answers again.
 */

/** How long one Redis command may take before its caller falls back (a healthy local Redis answers in < 1 ms). */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
/** While Redis is suspended, how often it is pinged to see whether it answers again. */
const PROBE_INTERVAL_MS = 1_000;
/** Fallbacks are logged at most this often (with the count since the last line), not once per request. */
const WARN_EVERY_MS = 30_000;

export function boundedRedisOptions(): RedisOptions {
  return {
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1_000,
    // A command while disconnected fails at once instead of waiting in a queue for a reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Reconnect quickly at first, then every 2 s: recovery is automatic and prompt.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
}

export function createRedisClient(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { ...boundedRedisOptions(), ...extra });
}

export type RedisState = 'ok' | 'degraded';

/**
 * Whether Redis is worth asking right now. A failure (timeout, refused, not connected) suspends it;
 * a background ping lifts the suspension as soon as Redis answers. Counts every fallback, so that
 * an operator can see how often the instance had to decide alone (a metric-to-be, logged meanwhile).
 */
export class RedisHealth {
  /** Operations that fell back to this instance's memory because Redis did not answer. */
  fallbacks = 0;
  private suspended = false;
  private probe?: NodeJS.Timeout;
  private lastWarn = 0;
  private unreported = 0;

  constructor(
    readonly client: Redis,
    private readonly logger: Logger,
  ) {}

  usable(): boolean {
    return !this.suspended && this.client.status === 'ready';
  }

  /** Redis failed a caller: stop asking it until a ping succeeds. */
  failed(reason: string): void {
    if (this.suspended) return;
    this.suspended = true;
    this.logger.warn({ reason }, 'redis not answering: falling back to per-instance rate limits and PostgreSQL events');
    this.probe = setInterval(() => void this.tryResume(), PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  /** One operation was served without Redis: counted, and logged at most every 30 s. */
  noteFallback(what: string): void {
    this.fallbacks += 1;
    this.unreported += 1;
    if (this.usable()) this.failed(`${what} failed`);
    const now = Date.now();
    if (now - this.lastWarn >= WARN_EVERY_MS) {
      this.logger.warn({ fallbacks: this.unreported, total: this.fallbacks, what }, 'redis unavailable: rate limits counted in this instance only');
      this.lastWarn = now;
      this.unreported = 0;
    }
  }

  /** For /readyz: `degraded` without waiting when suspended, else one bounded ping. */
  async check(): Promise<RedisState> {
    if (!this.usable()) return 'degraded';
    try {
      await this.client.ping();
      return 'ok';
    } catch (error) {
      this.failed((error as Error).message);
      return 'degraded';
    }
  }

  private async tryResume(): Promise<void> {
    if (this.client.status !== 'ready') return;
    try {
      await this.client.ping();
    } catch {
      return;
    }
    clearInterval(this.probe);
    this.probe = undefined;
    this.suspended = false;
    this.logger.info({ fallbacks: this.fallbacks }, 'redis answers again: shared rate limits resumed');
  }

  close(): void {
    clearInterval(this.probe);
  }
}

/** Resolves true once Redis is ready, false after `timeoutMs` or as soon as it refuses the connection. */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      resolve(ready);
    };
    const onReady = () => done(true);
    // Refused or unreachable: waiting longer would only delay start-up, the fallbacks cover.
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}
