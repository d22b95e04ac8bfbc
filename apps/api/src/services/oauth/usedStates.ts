import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.js';
import { sha256 } from '../secrets.js';
import { claimUsedToken } from '../usedTokens.js';
import { CLOCK_SKEW_SECONDS } from '../../duration.js';

/** How long one OAuth flow may take from /authorize to /callback (the state cookie's Max-Age, http/oauth/stateCookie.ts). */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * Remembers used OAuth `state` values until they would have expired anyway, so a callback URL works
 * once, on whichever instance it arrives. Redis when configured; otherwise the database
 * (`used_tokens`, purpose `oauth_state`), which every `start:cluster` worker shares. Never this
 * process's memory: a replay sent to another worker would not see it. If Redis fails, the database
 * takes over for that claim. (A state claimed in Redis and then replayed during a Redis outage
 * still fails at the provider: the authorization code is single-use and bound to the PKCE verifier.)
 */
export class UsedStates {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis | undefined,
    private readonly onRedisError: (error: Error) => void = () => {},
  ) {}

  /** True the first time a state is claimed; false on every later attempt. */
  async claim(state: string, now = Date.now()): Promise<boolean> {
    const lifetime = STATE_TTL_MS + CLOCK_SKEW_SECONDS * 1000;
    if (this.redis) {
      try {
        return (await this.redis.set(`portcullis:oauth-state:${sha256(state)}`, '1', 'PX', lifetime, 'NX')) === 'OK';
      } catch (error) {
        this.onRedisError(error as Error);
      }
    }
    return claimUsedToken(this.db, 'oauth_state', state, new Date(now + lifetime));
  }
}
