import type { Response } from 'express';
import { system as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { checkResponse, responseChecksEnabled } from '../http/responseCheck.js';
import { route, type Route } from '../http/route.js';
import type { RedisState } from '../realtime/redis.js';

/** A probe's answer must come well within a second; the rest of that second is the network's. */
export const READINESS_TIMEOUT_MS = 800;

export interface HealthChecks {
  /** Answers `degraded` (never throws, within 0.5 s) when Redis is configured but not answering. */
  redis?: () => Promise<RedisState>;
}

/** The checks of this context: Redis only when REDIS_URL is set. */
export function healthChecksOf(ctx: AppContext): HealthChecks {
  const redisHealth = ctx.redisHealth;
  return { redis: redisHealth ? () => redisHealth.check() : undefined };
}

/**
 * A 503 in the readiness shape (not the error shape: a balancer reads the status, a person the
 * checks), written here; route() sends nothing more once the answer is sent.
 */
function unready(res: Response, body: { status: 'draining' | 'unavailable'; checks: Record<string, string> }): never {
  // Checked like every answer route() sends (the same body shape as the 200).
  if (responseChecksEnabled()) checkResponse(endpoints.readiness, body);
  res.status(503).json(body);
  return undefined as never;
}

/** `/healthz` and `/readyz` (no Cache-Control, as probes always answered). */
export function healthEndpoints(ctx: AppContext, checks: HealthChecks = healthChecksOf(ctx)): Route[] {
  return [
    route(endpoints.health, { handler: () => ({ status: 'ok' as const }) }),
    route(endpoints.readiness, {
      async handler({ res }) {
        // Shutting down (SIGTERM): out of rotation at once, whatever the database says.
        if (ctx.lifecycle.draining) return unready(res, { status: 'draining', checks: {} });
        // Within a second even when the database is frozen (connections open, nothing answers).
        const withTimeout = (p: Promise<void>) =>
          Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timeout')), READINESS_TIMEOUT_MS).unref())]);
        // Both at once, so that a frozen database and a frozen Redis together still answer within a second.
        const [database, redis] = await Promise.all([
          withTimeout(ctx.database.ping()).then(
            () => 'ok' as const,
            () => 'unavailable' as const,
          ),
          checks.redis?.(),
        ]);
        // Redis is an accelerator: without it the instance still serves (per-instance limits, events over
        // PostgreSQL), so it is reported as degraded and never takes the instance out of rotation.
        const result = { database, ...(redis ? { redis } : {}) };
        if (database !== 'ok') return unready(res, { status: 'unavailable', checks: result });
        return { status: redis === undefined || redis === 'ok' ? ('ok' as const) : ('degraded' as const), checks: result };
      },
    }),
  ];
}
