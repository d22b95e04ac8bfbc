import type { AppContext, RequestMeta } from '../../context.js';
import { recordAudit } from '../audit.js';
import { ApiError, invalidBearer, validationFailed, type FieldIssue } from '../errors.js';
import { invalidMfaCode } from '../mfa.js';
import { confirmIdentity } from '../reauthentication.js';
import { useRecoveryCode } from '../recoveryCodes.js';
import { useTotpCode } from '../totpCodes.js';
import { findUserById } from '../users.js';

/**
 * What starting a link from settings takes besides the access token, which may have been stolen
 * (a linked identity is a lasting way in that survives a password reset):
 *
 * 1. The account holder's own browser: the signed `portcullis_session` cookie (HttpOnly, so no
 *    script can read it, and never handed to a non-browser client) must name the session the access
 *    token belongs to. A token replayed from another browser or a script has no such cookie.
 *    The route reads the cookie and passes the session it names (`cookieSessionId`); the callback
 *    checks the same cookie again: the flow finishes only in the browser of the session that started it.
 * 2. Re-authentication by the one rule (services/reauthentication.ts): the password, or for an
 *    account without one a sign-in of the last 10 minutes; and with MFA on a code (or a recovery
 *    code), as for the other changes of how one signs in (deleting the account, new recovery codes).
 */

export interface LinkProof {
  password?: string;
  code?: string;
  recoveryCode?: string;
}

const STAGE = 'link_provider';

export const wrongBrowser = () => new ApiError(403, 'FORBIDDEN', 'Link a provider from the browser you signed in with: sign in again here, then try again.');

export interface LinkRequester {
  userId: string;
  /** The access token's session. */
  sessionId: string;
  /** The session the request's signed session cookie names, if any (http/cookies.ts readSessionCookie). */
  cookieSessionId: string | undefined;
}

/** Both checks; throws a 4xx naming what is missing or wrong. */
export async function confirmLinkRequest(ctx: AppContext, auth: LinkRequester, proof: LinkProof, meta: RequestMeta): Promise<void> {
  if (auth.cookieSessionId !== auth.sessionId) {
    await recordAudit(ctx.db, { type: 'login.failed', userId: auth.userId, meta, details: { stage: STAGE, reason: 'no_session_cookie' } });
    throw wrongBrowser();
  }
  const user = await findUserById(ctx.db, auth.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const missing: FieldIssue[] = [];
  if (user.passwordHash && proof.password === undefined) missing.push({ field: 'password', message: 'Enter your password to link a provider.' });
  if (user.mfaEnabled && proof.code === undefined && proof.recoveryCode === undefined) {
    missing.push({ field: 'code', message: 'Enter a code from your authenticator app, or a recovery code.' });
  }
  if (missing.length) throw validationFailed(missing);

  const { succeeded } = await confirmIdentity(ctx, auth, proof.password, meta, { stage: STAGE, action: 'link a provider', failureType: 'login.failed' });
  if (user.mfaEnabled) {
    const passed = await ctx.db.transaction((tx) =>
      proof.code !== undefined ? useTotpCode(ctx, tx, user.id, proof.code) : useRecoveryCode(tx, user.id, proof.recoveryCode ?? ''),
    );
    if (!passed) {
      // The attempt reserved by confirmIdentity is kept: wrong codes count against the login limits.
      await recordAudit(ctx.db, { type: 'mfa.failed', userId: user.id, meta, details: { stage: STAGE, reason: 'wrong_code' } });
      throw invalidMfaCode();
    }
  }
  await succeeded();
}
