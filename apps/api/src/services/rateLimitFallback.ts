import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisHealth } from '../realtime/redis.js';

/**
 * A limiter whose counters live in Redis (shared by every instance) while Redis answers, and in
 * this instance's memory while it does not. Each fallback is counted and logged
 * (RedisHealth.noteFallback). A frozen Redis costs one command timeout, after which the limiter is
 * told Redis is "not ready" (rejectIfRedisNotReady) and goes straight to memory until a background
 * ping finds it answering again.
 *
 * The memory counter is never less strict than Redis was. A command that timed out may well have
 * been counted by Redis: its reply was only late (a busy event loop is enough, the timeout is
 * 0.5 s). With a memory counter that started from zero, parallel guesses were then counted partly
 * in Redis and partly in memory, and each half let the full limit through (10 wrong passwords
 * instead of 5). So every Redis answer is mirrored in memory, and a fallback counts on from the
 * last count Redis gave; when Redis answers again after a fallback, the larger of its count and
 * this instance's own is what decides, so attempts made during the outage still count.
 */
export function sharedLimiter(options: IRateLimiterOptions, health: RedisHealth): RateLimiterAbstract {
  return new SharedLimiter(options, health);
}

class SharedLimiter extends RateLimiterRedis {
  private readonly memory: MirrorMemory;

  constructor(
    options: IRateLimiterOptions,
    private readonly health: RedisHealth,
  ) {
    // No insuranceLimiter: the fallback is done here, where a Redis answer can be told from a failure.
    super({ ...options, storeClient: whileUsable(health), rejectIfRedisNotReady: true });
    this.memory = new MirrorMemory(options);
  }

  override async consume(key: string | number, points = 1, options: Record<string, unknown> = {}): Promise<RateLimiterRes> {
    const sentAt = Date.now();
    let answer: RateLimiterRes;
    try {
      answer = await super.consume(key, points, options);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) return this.fallback(() => this.memory.consume(key, points, options));
      answer = error;
    }
    const res = this.memory.settle(key, answer, points, sentAt);
    if (res.consumedPoints > this.points) throw res;
    return res;
  }

  override async reward(key: string | number, points = 1, options: Record<string, unknown> = {}): Promise<RateLimiterRes> {
    const sentAt = Date.now();
    let answer: RateLimiterRes;
    try {
      answer = await super.reward(key, points, options);
    } catch {
      return this.fallback(() => this.memory.reward(key, points, options));
    }
    return this.memory.settle(key, answer, -points, sentAt);
  }

  override async delete(key: string | number, options: Record<string, unknown> = {}): Promise<boolean> {
    let deleted: boolean;
    try {
      deleted = await super.delete(key, options);
    } catch {
      return this.fallback(() => this.memory.delete(key));
    }
    await this.memory.delete(key);
    return deleted;
  }

  /** Redis did not answer (or is suspended): this instance decides alone, and says so. */
  private fallback<T>(operation: () => Promise<T>): Promise<T> {
    this.health.noteFallback('rate limit');
    return operation();
  }
}

/** The storage inside RateLimiterMemory, which reads and writes synchronously. */
interface MemoryStorage {
  get(rlKey: string): RateLimiterRes | null;
  set(rlKey: string, value: number, durationSec: number): RateLimiterRes;
}

/** This instance's counters: its own fallback counts, and the last count Redis gave for each key. */
class MirrorMemory extends RateLimiterMemory {
  /**
   * After Redis changed `key` by `change` points and answered `answer`: the count becomes the
   * larger of Redis's and this instance's own changed by the same points (which is larger only
   * when this instance counted attempts that Redis never saw). Read and written in one synchronous
   * step, so that answers arriving together cannot overwrite each other out of order. The copy
   * expires no later than Redis's key (its time to live is counted from when the command was sent),
   * so a count Redis has already forgotten never outlives it here and starts a window of its own.
   */
  settle(key: string | number, answer: RateLimiterRes, change: number, sentAt: number): RateLimiterRes {
    const storage = (this as unknown as { _memoryStorage: MemoryStorage })._memoryStorage;
    const rlKey = this.getKey(key);
    const own = storage.get(rlKey);
    const live = own !== null && own.msBeforeNext > 0 ? own : undefined;
    const ownMs = live?.msBeforeNext ?? 0;
    const consumed = Math.max(answer.consumedPoints, live ? live.consumedPoints + change : 0);
    const keepMs = Math.max(answer.msBeforeNext - (Date.now() - sentAt), ownMs);
    if (keepMs > 0) storage.set(rlKey, consumed, keepMs / 1000);
    return new RateLimiterRes(Math.max(this.points - consumed, 0), Math.max(answer.msBeforeNext, ownMs), consumed, answer.isFirstInDuration);
  }
}

/** The Redis client as the limiter sees it: "not ready" whenever RedisHealth has suspended it. */
function whileUsable(health: RedisHealth): Redis {
  return new Proxy(health.client, {
    get(target, prop) {
      if (prop === 'status') return health.usable() ? target.status : 'suspended';
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
