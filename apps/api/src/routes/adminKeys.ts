import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireManageUsers } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { recordAudit } from '../services/audit.js';

/**
 * On-demand signing-key rotation (mounted at /api/admin/keys). A new key signs from now on; the
 * retired one stays in the JWKS until every token it signed has expired, so nobody notices.
 */
export function adminKeyRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/rotate', requireManageUsers(ctx.config), async (req, res) => {
    const meta = requestMeta(req);
    const actorId = req.auth!.sub;
    let change: { kid: string; retiredKid: string | null } | undefined;
    await ctx.keyRing.rotate(true, async (tx, rotated) => {
      change = rotated;
      await recordAudit(tx, { type: 'keys.rotated', userId: null, actorId, meta, details: { kid: rotated.kid, retiredKid: rotated.retiredKid, trigger: 'admin' } });
    });
    // Every other instance reloads its ring now, not at its next periodic check.
    await ctx.bus.publish({ type: 'keys' }).catch((err) => ctx.logger.warn({ err: { message: err.message } }, 'could not announce key rotation'));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ kid: change!.kid, alg: ctx.keyRing.signingKey().alg, retiredKid: change!.retiredKid });
  });

  return router;
}
