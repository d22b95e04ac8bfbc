import type { AppContext, RequestMeta } from '../context.js';
import { recoveryCodesRegeneratedMail } from '../mail/templates/recoveryCodesRegenerated.js';
import { recordAudit } from './audit.js';
import { invalidBearer } from './errors.js';
import { enqueueMail } from './mail.js';
import { invalidMfaCode, notEnabled } from './mfa.js';
import { confirmIdentity } from './reauthentication.js';
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from './recoveryCodes.js';
import { inTransaction } from './transaction.js';
import { useTotpCode } from './totpCodes.js';
import { findUserById } from './users.js';
import { webLink } from './webLinks.js';

/**
 * Managing recovery codes once MFA is on (not in the contract): how many are left, and a new set
 * for a re-authentication (the password, or a fresh sign-in without one) and a current TOTP code.
 * A recovery code is not accepted here: it cannot prove more than it is (whoever holds one could
 * otherwise turn it into ten).
 */

const STAGE = 'regenerate_recovery_codes';

/** Unused codes; 0 when MFA is off (turning it off deletes them). */
export async function remainingRecoveryCodes(ctx: AppContext, userId: string): Promise<{ remaining: number }> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  return { remaining: user.mfaEnabled ? await countUnusedRecoveryCodes(ctx.db, userId) : 0 };
}

export async function regenerateRecoveryCodes(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { password?: string; code: string },
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[] }> {
  const { userId } = auth;
  const { user, succeeded } = await confirmIdentity(ctx, auth, input.password, meta, { stage: STAGE, action: 'get new recovery codes' });
  if (!user.mfaEnabled) {
    await succeeded();
    throw notEnabled();
  }
  const codes = await inTransaction(ctx, async (tx) => {
    // The step moves forward in this transaction, so the code is spent only if the codes change too.
    if (!(await useTotpCode(ctx, tx, userId, input.code))) return undefined;
    const plain = await replaceRecoveryCodes(tx, userId);
    await recordAudit(tx, { type: 'mfa.recovery_codes_regenerated', userId, meta, details: { count: plain.length } });
    const mail = recoveryCodesRegeneratedMail({ displayName: user.displayName, securityUrl: webLink(ctx.config, 'securitySettings') });
    await enqueueMail(ctx, tx, user.email, mail);
    return plain;
  });
  if (!codes) {
    // The login attempt reserved by confirmIdentity is kept: wrong codes count against the login limits too.
    await recordAudit(ctx.db, { type: 'mfa.failed', userId, meta, details: { stage: STAGE, reason: 'wrong_code' } });
    throw invalidMfaCode();
  }
  await succeeded();
  return { recoveryCodes: codes };
}
