import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { passkeys as passkeyEndpoints, ResponseOf } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import type { Db } from '../db/client.js';
import { oauthAccounts, passkeys, users } from '../db/schema.js';
import { passkeyChangedMail } from '../mail/templates/passkeys.js';
import { recordAudit } from './audit.js';
import { ApiError, invalidBearer, notFound, validationFailed, type FieldIssue } from './errors.js';
import { enqueueMail } from './mail.js';
import { invalidMfaCode } from './mfa.js';
import { confirmIdentity } from './reauthentication.js';
import { useRecoveryCode } from './recoveryCodes.js';
import { useTotpCode } from './totpCodes.js';
import { inTransaction, type Tx } from './transaction.js';
import { claimChallenge, challengeOf, storeChallenge } from './webauthnChallenges.js';
import { findUserById } from './users.js';
import { webLink } from './webLinks.js';

// Loaded on first use: the library takes a third of a second to import, paid at every start otherwise (issue 17).
const webauthn = () => import('@simplewebauthn/server');

/**
 * Passkeys in settings: adding one (after re-authentication, by the rule of
 * services/reauthentication.ts, as for linking a provider: a passkey is a lasting way in),
 * listing, renaming and removing them (never the last way to sign in). Signing in with one is
 * services/passkeySignIn.ts.
 */

export type PasskeyRow = typeof passkeys.$inferSelect;
type Passkey = ResponseOf<typeof passkeyEndpoints.list>['passkeys'][number];

/** What a registration proves: the password (or a fresh sign-in without one), and a code when MFA is on. */
export interface PasskeyProof {
  password?: string;
  code?: string;
  recoveryCode?: string;
}

const STAGE = 'add_passkey';

export const toPublicPasskey = (row: PasskeyRow): Passkey => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  synced: row.backedUp,
});

export async function startRegistration(ctx: AppContext, auth: { userId: string; sessionId: string }, proof: PasskeyProof, meta: RequestMeta) {
  const user = await findUserById(ctx.db, auth.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const missing: FieldIssue[] = [];
  if (user.passwordHash && proof.password === undefined) missing.push({ field: 'password', message: 'Enter your password to add a passkey.' });
  if (user.mfaEnabled && proof.code === undefined && proof.recoveryCode === undefined) {
    missing.push({ field: 'code', message: 'Enter a code from your authenticator app, or a recovery code.' });
  }
  if (missing.length) throw validationFailed(missing);
  const { succeeded } = await confirmIdentity(ctx, auth, proof.password, meta, { stage: STAGE, action: 'add a passkey', failureType: 'login.failed' });
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

  const existing = await ctx.db.select().from(passkeys).where(eq(passkeys.userId, user.id));
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: ctx.config.WEBAUTHN_RP_NAME,
    rpID: ctx.config.WEBAUTHN_RP_ID,
    userName: user.email,
    userDisplayName: user.displayName,
    // The user handle is the account id: a sign-in's userHandle names the account the credential was made for.
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  await storeChallenge(ctx.db, options.challenge, 'registration', { sessionId: auth.sessionId }, user.id);
  return { options: options as unknown as Record<string, unknown> };
}

const challengeRefused = () => new ApiError(400, 'INVALID_TOKEN', 'This passkey request has expired or was already used. Start again.');
const notVerified = (message = 'The passkey could not be verified.') => new ApiError(400, 'VALIDATION_FAILED', message, [{ field: 'response', message }]);

export async function finishRegistration(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { response: RegistrationResponseJSON; name?: string | undefined },
  meta: RequestMeta,
): Promise<Passkey> {
  const challenge = challengeOf(input.response.response);
  if (!challenge) throw notVerified();
  // Bound to this session: a challenge another session asked for does not match.
  const claimed = await claimChallenge(ctx.db, 'registration', { sessionId: auth.sessionId }, challenge);
  if (!claimed || claimed.userId !== auth.userId) throw challengeRefused();
  let verification;
  try {
    const { verifyRegistrationResponse } = await webauthn();
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: claimed.challenge,
      expectedOrigin: ctx.config.WEBAUTHN_ORIGINS,
      expectedRPID: ctx.config.WEBAUTHN_RP_ID,
      requireUserVerification: true,
    });
  } catch (error) {
    await recordAudit(ctx.db, { type: 'passkey.failed', userId: auth.userId, meta, details: { stage: 'registration', reason: reasonOf(error) } });
    throw notVerified();
  }
  if (!verification.verified) throw notVerified();
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const user = await findUserById(ctx.db, auth.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const count = await ctx.db.$count(passkeys, eq(passkeys.userId, user.id));
  const name = input.name ?? `Passkey ${count + 1}`;
  const row = await inTransaction(ctx, async (tx) => {
    const [inserted] = await tx
      .insert(passkeys)
      .values({
        userId: user.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        name,
      })
      .onConflictDoNothing({ target: passkeys.credentialId })
      .returning();
    if (!inserted) return undefined;
    await recordAudit(tx, { type: 'passkey.added', userId: user.id, meta, details: { passkeyId: inserted.id, synced: credentialBackedUp } });
    await mailChange(ctx, tx, user, inserted.name, true);
    return inserted;
  });
  if (!row) throw new ApiError(409, 'CONFLICT', 'This passkey is already registered.');
  return toPublicPasskey(row);
}

export async function listPasskeys(db: Db, userId: string): Promise<Passkey[]> {
  const rows = await db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(desc(passkeys.createdAt), desc(passkeys.id));
  return rows.map(toPublicPasskey);
}

export async function renamePasskey(ctx: AppContext, userId: string, id: string, name: string, meta: RequestMeta): Promise<Passkey> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(passkeys)
      .set({ name })
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
      .returning();
    if (!row) throw notFound('No such passkey.');
    await recordAudit(tx, { type: 'passkey.renamed', userId, meta, details: { passkeyId: id } });
    return toPublicPasskey(row);
  });
}

/**
 * Removes a passkey unless it is the last way to sign in: no password, no other passkey, no linked
 * provider, and sign-in by email off. The user row is locked, so two removals at once cannot each
 * count the other passkey.
 */
export async function removePasskey(ctx: AppContext, userId: string, id: string, meta: RequestMeta): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw notFound('No such passkey.');
    const [target] = await tx
      .select()
      .from(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)));
    if (!target) throw notFound('No such passkey.');
    const others =
      (user.passwordHash ? 1 : 0) +
      (ctx.config.EMAIL_SIGNIN ? 1 : 0) +
      (await tx.$count(passkeys, and(eq(passkeys.userId, userId), ne(passkeys.id, id)))) +
      (await tx.$count(oauthAccounts, eq(oauthAccounts.userId, userId)));
    if (others === 0) throw new ApiError(409, 'CONFLICT', 'This passkey is your only way to sign in. Set a password or add another passkey first.');
    await tx.delete(passkeys).where(eq(passkeys.id, id));
    await recordAudit(tx, { type: 'passkey.removed', userId, meta, details: { passkeyId: id } });
    await mailChange(ctx, tx, user, target.name, false);
  });
}

/** How many passkeys the account has (a provider unlink counts them as other ways in). */
export async function passkeyCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(passkeys)
    .where(eq(passkeys.userId, userId));
  return row?.n ?? 0;
}

async function mailChange(ctx: AppContext, tx: Tx, user: { email: string; displayName: string }, passkeyName: string, added: boolean) {
  const securityUrl = webLink(ctx.config, 'securitySettings');
  await enqueueMail(ctx, tx, user.email, passkeyChangedMail({ displayName: user.displayName, passkeyName, added, securityUrl }));
}

/** A short, secret-free reason for the audit log. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown';
}
