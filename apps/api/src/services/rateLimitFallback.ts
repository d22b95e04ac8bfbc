import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisHealth } from '../realtime/redis.js';

/**
 * A limiter whose counters live in Redis (shared by every instance) while Redis answers, and in
 * this instance's memory while it does not: rate-limiter-flexible's insurance limiter, which we
 * count and log (RedisHealth.noteFallback). A frozen Redis costs one command timeout, after which
 * the limiter is told Redis is "not ready" (rejectIfRedisNotReady) and goes straight to memory
 * until a background ping finds it answering again.
 */
export function sharedLimiter(options: IRateLimiterOptions, health: RedisHealth): RateLimiterAbstract {
  return new RateLimiterRedis({
    ...options,
    storeClient: whileUsable(health),
    rejectIfRedisNotReady: true,
    insuranceLimiter: new CountedMemoryLimiter(options, health),
  });
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

/** The per-instance insurance: each use is a fallback, and a failure that should suspend Redis. */
class CountedMemoryLimiter extends RateLimiterMemory {
  constructor(
    options: IRateLimiterOptions,
    private readonly health: RedisHealth,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>) {
    this.health.noteFallback('rate limit');
    return super.consume(...args);
  }
}
