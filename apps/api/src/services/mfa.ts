import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { mfaChallenges, recoveryCodes, totpCredentials, users } from '../db/schema.js';
import { mfaChangedMail } from '../mail/templates/mfaChanged.js';
import { recordAudit } from './audit.js';
import { ApiError, invalidBearer } from './errors.js';
import { enqueueMail } from './mail.js';
import { confirmIdentity, confirmRecentSignInOrPassword } from './reauthentication.js';
import { replaceRecoveryCodes, useRecoveryCode } from './recoveryCodes.js';
import { useTotpCode } from './totpCodes.js';
import { decrypt, encrypt } from './secrets.js';
import { inTransaction, userChangedAfterCommit, type Tx } from './transaction.js';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.js';
import { findUserById } from './users.js';
import { webLink } from './webLinks.js';

export { completeMfaLogin, createMfaChallenge } from './mfaChallenges.js';

/**
 * TOTP second factor: setup (a secret, encrypted at rest under SECRET_KEY, not yet in force),
 * enable (re-authentication: a sign-in within 10 minutes or the password, and a code; returns
 * recovery codes once), disable (re-authentication and a code). Enabling re-authenticates because
 * a bearer token alone could otherwise enrol a thief's authenticator and take the recovery codes:
 * the holder would be locked out of their own account (an admin can reset MFA: mfaReset.ts).
 * Every accepted code moves `last_used_step` forward in one conditional UPDATE, so a code, or
 * an older one within the drift window, is never accepted twice.
 */

export const invalidMfaCode = (message = 'The code is not valid. Check your authenticator app and try again.') =>
  new ApiError(400, 'INVALID_MFA_CODE', message, [{ field: 'code', message }]);
export const notEnabled = () => new ApiError(409, 'CONFLICT', 'Two-factor authentication is not on.');
const alreadyEnabled = () => new ApiError(409, 'CONFLICT', 'Two-factor authentication is already on. Turn it off first to set up a new authenticator.');

export async function setupTotp(ctx: AppContext, userId: string, meta: RequestMeta) {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const secret = newTotpSecret();
  // Replaces an unconfirmed setup, never one in force (setWhere), even against a concurrent enable.
  const [row] = await ctx.db
    .insert(totpCredentials)
    .values({ userId, secretEncrypted: encrypt(ctx.keys.encryption, secret) })
    .onConflictDoUpdate({
      target: totpCredentials.userId,
      set: { secretEncrypted: encrypt(ctx.keys.encryption, secret), lastUsedStep: null, createdAt: new Date() },
      setWhere: isNull(totpCredentials.enabledAt),
    })
    .returning({ userId: totpCredentials.userId });
  if (!row) throw alreadyEnabled();
  await recordAudit(ctx.db, { type: 'mfa.setup_started', userId, meta });
  const otpauthUrl = totpUri(secret, user.email);
  // Loaded on first use, not at every start (issue 17).
  const { default: QRCode } = await import('qrcode');
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return { secret, otpauthUrl, qrCodeDataUrl };
}

export async function enableTotp(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { code: string; password?: string },
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[] }> {
  const { userId } = auth;
  const { code } = input;
  const [credential] = await ctx.db.select().from(totpCredentials).where(eq(totpCredentials.userId, userId));
  if (!credential) throw invalidMfaCode('Set up an authenticator app first.');
  if (credential.enabledAt) throw alreadyEnabled();
  // Before the code: the setup's secret is no proof, whoever holds the token chose it.
  const { by: reauthenticatedBy } = await confirmRecentSignInOrPassword(ctx, auth, input.password, meta, {
    stage: 'enable',
    action: 'turn on two-step verification',
  });
  const step = matchTotpStep(decrypt(ctx.keys.encryption, credential.secretEncrypted), code);
  if (step === null) {
    await recordAudit(ctx.db, { type: 'mfa.failed', userId, meta, details: { stage: 'enable' } });
    throw invalidMfaCode();
  }
  const codes = await inTransaction(ctx, async (tx) => {
    const [enabled] = await tx
      .update(totpCredentials)
      .set({ enabledAt: new Date(), lastUsedStep: step })
      .where(and(eq(totpCredentials.userId, userId), isNull(totpCredentials.enabledAt), eq(totpCredentials.secretEncrypted, credential.secretEncrypted)))
      .returning({ userId: totpCredentials.userId });
    if (!enabled) return undefined; // a concurrent enable or a new setup won
    userChangedAfterCommit(tx, userId);
    const plain = await replaceRecoveryCodes(tx, userId);
    // A new factor: earlier wrong guesses were against no factor of this one.
    await tx.update(users).set({ secondFactorFailures: 0 }).where(eq(users.id, userId));
    await recordAudit(tx, { type: 'mfa.enabled', userId, meta, details: { method: 'totp', reauthenticatedBy } });
    await queueMfaNotice(ctx, tx, userId, true);
    return plain;
  });
  if (!codes) throw alreadyEnabled();
  return { recoveryCodes: codes };
}

export async function disableTotp(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { password?: string; code: string },
  meta: RequestMeta,
): Promise<void> {
  const { userId } = auth;
  const { user, succeeded } = await confirmIdentity(ctx, auth, input.password, meta, { stage: 'disable', action: 'turn off two-step verification' });
  if (!user.mfaEnabled) {
    await succeeded();
    throw notEnabled();
  }
  const disabled = await inTransaction(ctx, async (tx) => {
    // A recovery code also works here: it is how someone who lost their phone turns MFA off.
    const passed = /^\d+$/.test(input.code) ? await useTotpCode(ctx, tx, userId, input.code) : await useRecoveryCode(tx, userId, input.code);
    if (!passed) return false;
    await tx.delete(totpCredentials).where(eq(totpCredentials.userId, userId));
    userChangedAfterCommit(tx, userId);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
    await tx.update(users).set({ secondFactorFailures: 0 }).where(eq(users.id, userId));
    await recordAudit(tx, { type: 'mfa.disabled', userId, meta });
    await queueMfaNotice(ctx, tx, userId, false);
    return true;
  });
  if (!disabled) {
    // The login attempt reserved by confirmIdentity is kept: wrong codes count against the login limits too.
    await recordAudit(ctx.db, { type: 'mfa.failed', userId, meta, details: { stage: 'disable', reason: 'wrong_code' } });
    throw invalidMfaCode();
  }
  await succeeded();
}

async function queueMfaNotice(ctx: AppContext, tx: Tx, userId: string, enabled: boolean) {
  const user = await findUserById(tx, userId);
  if (!user) return;
  await enqueueMail(ctx, tx, user.email, mfaChangedMail({ displayName: user.displayName, enabled, securityUrl: webLink(ctx.config, 'securitySettings') }));
}
