import { admin as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { recordAudit } from '../services/audit.js';
import type { RotationChange } from '../services/keyRing.js';

/**
 * On-demand signing-key rotation (`POST /api/admin/keys/rotate`, auth `admin`). The new key is in
 * every instance's JWKS when this answers and signs from `activatesAt` (KEY_PREPUBLISH later); the
 * retired one signs until then and stays in the JWKS until every token it signed has expired, so
 * nobody notices.
 */
export function adminKeyRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.rotateKeys, {
      async handler({ auth, req }) {
        const meta = requestMeta(req);
        let change: RotationChange | undefined;
        await ctx.keyRing.rotate(true, async (tx, rotated) => {
          change = rotated;
          await recordAudit(tx, { type: 'keys.rotated', userId: null, actorId: auth.sub, meta, details: { ...rotated, trigger: 'admin' } });
        });
        if (!change) throw new Error('key rotation: a forced rotation reported no new key');
        // Every other instance reloads its ring now, not at its next periodic check; answer once they have the message.
        if (!(await ctx.keyAnnouncements.announce()))
          ctx.logger.warn('key rotation: announcement not confirmed by the bus; other instances reload within a minute (the new key signs only later)');
        return { kid: change.kid, alg: ctx.config.JWT_ALG, retiredKid: change.retiredKid, activatesAt: change.activatesAt };
      },
    }),
  ];
}
