import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireManageUsers } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { recordAudit } from '../services/audit.js';
import type { RotationChange } from '../services/keyRing.js';

/**
 * On-demand signing-key rotation (mounted at /api/admin/keys). The new key is in every instance's
 * JWKS when this answers and signs from `activatesAt` (KEY_PREPUBLISH later); the retired one
 * signs until then and stays in the JWKS until every token it signed has expired, so nobody notices.
 */
export function adminKeyRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/rotate', requireManageUsers(ctx.config), async (req, res) => {
    const meta = requestMeta(req);
    const actorId = req.auth!.sub;
    let change: RotationChange | undefined;
    await ctx.keyRing.rotate(true, async (tx, rotated) => {
      change = rotated;
      await recordAudit(tx, { type: 'keys.rotated', userId: null, actorId, meta, details: { ...rotated, trigger: 'admin' } });
    });
    // Every other instance reloads its ring now, not at its next periodic check; answer once they have the message.
    if (!(await ctx.keyAnnouncements.announce())) ctx.logger.warn('key rotation: announcement not confirmed by the bus; other instances reload within a minute (the new key signs only later)');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ kid: change!.kid, alg: ctx.config.JWT_ALG, retiredKid: change!.retiredKid, activatesAt: change!.activatesAt });
  });

  return router;
}
