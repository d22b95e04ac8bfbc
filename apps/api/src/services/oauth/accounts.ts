import { and, eq, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../../context.js';
import type { Db } from '../../db/client.js';
import { oauthAccounts, passkeys, users } from '../../db/schema.js';
import { providerLinkedMail, providerUnlinkedByAdminMail } from '../../mail/templates/providerLinks.js';
import { recordAudit } from '../audit.js';
import { queueVerificationMail } from '../emailVerification.js';
import { ApiError, notFound } from '../errors.js';
import { enqueueMail } from '../mail.js';
import { inTransaction, type Tx } from '../transaction.js';
import { cleanShownText } from '@portcullis/contract/shownText';
import { findUserByEmail, findUserById, normalizeEmail, type UserWithMfa } from '../users.js';
import { providerName, type ProviderId } from './providers.js';
import type { ProviderProfile } from './protocol.js';
import { webLink } from '../webLinks.js';

/**
 * Linked identities and the rules that map a provider identity to a Portcullis user.
 *
 * Sign-in with an identity:
 * 1. known (provider, subject): that user;
 * 2. new, and its email matches a user: linked only when the provider verified the address AND the
 *    local account's address is verified too. The second condition stops pre-account takeover: an
 *    attacker who registered the victim's address with a password (never verified) must not end up
 *    sharing the account the victim then opens with Google. Otherwise: refused, and the person is
 *    told to sign in with their password and link from settings;
 *    For an account with MFA the identity is not linked yet ('link_after_mfa'): the second factor
 *    comes first, and the link is made only once it is passed (pendingLink.ts);
 * 3. new email: a new user without a password, emailVerified as the provider says. An address the
 *    provider did not verify gets the same verification mail as a password sign-up.
 * "Verified" is the provider's word only where it is believed (providers.ts trustsEmailOf); the
 * callback has already turned an unbelieved one into `emailVerified: false`.
 * Every new link, automatic or from settings, is audited and mailed to the holder.
 */

export type IdentityRow = typeof oauthAccounts.$inferSelect;

export type LoginResolution =
  | { kind: 'signed_in'; user: UserWithMfa; how: 'known' | 'linked' | 'created' }
  /** The address matched an account with MFA: nothing is linked before its second factor is passed. */
  | { kind: 'link_after_mfa'; user: UserWithMfa }
  | { kind: 'email_conflict'; reason: 'provider_unverified' | 'account_unverified' }
  | { kind: 'no_email' };

export async function resolveLogin(ctx: AppContext, provider: ProviderId, profile: ProviderProfile, meta: RequestMeta): Promise<LoginResolution> {
  // Two attempts: a concurrent callback for the same new identity or email may win the insert.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const known = await findIdentity(ctx.db, provider, profile.subject);
    if (known) {
      const user = await findUserById(ctx.db, known.userId);
      if (!user) continue;
      await ctx.db.update(oauthAccounts).set({ email: profile.email, emailVerified: profile.emailVerified }).where(eq(oauthAccounts.id, known.id));
      return { kind: 'signed_in', user, how: 'known' };
    }
    if (!profile.email) return { kind: 'no_email' };

    const existing = await findUserByEmail(ctx.db, profile.email);
    if (existing) {
      if (!profile.emailVerified) return { kind: 'email_conflict', reason: 'provider_unverified' };
      if (!existing.emailVerifiedAt) return { kind: 'email_conflict', reason: 'account_unverified' };
      if (existing.mfaEnabled) return { kind: 'link_after_mfa', user: existing };
      if (await linkByVerifiedEmail(ctx, existing.id, provider, profile, meta)) return { kind: 'signed_in', user: existing, how: 'linked' };
      continue;
    }

    const created = await createUserWithIdentity(ctx, provider, { ...profile, email: profile.email }, meta);
    if (created) return { kind: 'signed_in', user: created, how: 'created' };
  }
  throw new ApiError(409, 'CONFLICT', 'This sign-in collided with another one. Try again.');
}

async function createUserWithIdentity(
  ctx: AppContext,
  provider: ProviderId,
  profile: ProviderProfile & { email: string },
  meta: RequestMeta,
): Promise<UserWithMfa | undefined> {
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email: profile.email,
        emailNormalized: normalizeEmail(profile.email),
        displayName: displayNameFor(profile),
        passwordHash: null,
        emailVerifiedAt: profile.emailVerified ? new Date() : null,
      })
      .onConflictDoNothing({ target: users.emailNormalized })
      .returning();
    if (!user) return undefined;
    // A lost race on the identity rolls the new user back too.
    if (!(await insertIdentity(tx, user.id, provider, profile))) throw new RetryResolution();
    await recordAudit(tx, { type: 'user.registered', userId: user.id, meta, details: { method: 'oauth', provider } });
    await recordAudit(tx, { type: 'oauth.linked', userId: user.id, meta, details: { provider, via: 'sign_up' } });
    if (!user.emailVerifiedAt) await queueVerificationMail(ctx, tx, user, meta);
    return { ...user, mfaEnabled: false };
  }).catch((error: unknown) => {
    if (error instanceof RetryResolution) return undefined;
    throw error;
  });
}

class RetryResolution extends Error {}

/**
 * The automatic link of a sign-in whose verified address matched the account (after the second
 * factor when the account has MFA). False when the identity was linked meanwhile (a lost race).
 */
export async function linkByVerifiedEmail(
  ctx: AppContext,
  userId: string,
  provider: ProviderId,
  profile: ProviderProfile,
  meta: RequestMeta,
): Promise<boolean> {
  return inTransaction(ctx, async (tx) => {
    const row = await insertIdentity(tx, userId, provider, profile);
    if (row) await recordLink(ctx, tx, userId, provider, 'verified_email', meta);
    return row !== undefined;
  });
}

/** The audit event and the holder's notice of a new link, in the link's transaction. */
async function recordLink(ctx: AppContext, tx: Tx, userId: string, provider: ProviderId, via: 'settings' | 'verified_email', meta: RequestMeta): Promise<void> {
  await recordAudit(tx, { type: 'oauth.linked', userId, meta, details: { provider, via } });
  const user = await findUserById(tx, userId);
  if (!user) return;
  const mail = providerLinkedMail({
    displayName: user.displayName,
    providerName: providerName(ctx.config, provider),
    via,
    securityUrl: webLink(ctx.config, 'securitySettings'),
  });
  await enqueueMail(ctx, tx, user.email, mail);
}

export type LinkResult = 'linked' | 'already_linked' | 'identity_in_use' | 'provider_already_linked';

/** Links an identity to a signed-in user who asked for it from settings. */
export async function linkIdentity(ctx: AppContext, userId: string, provider: ProviderId, profile: ProviderProfile, meta: RequestMeta): Promise<LinkResult> {
  return inTransaction(ctx, async (tx): Promise<LinkResult> => {
    await lockUser(tx, userId);
    const known = await findIdentity(tx, provider, profile.subject);
    if (known) return known.userId === userId ? 'already_linked' : 'identity_in_use';
    const [sameProvider] = await tx
      .select({ id: oauthAccounts.id })
      .from(oauthAccounts)
      .where(and(eq(oauthAccounts.userId, userId), eq(oauthAccounts.provider, provider)));
    if (sameProvider) return 'provider_already_linked';
    if (!(await insertIdentity(tx, userId, provider, profile))) return 'identity_in_use';
    await recordLink(ctx, tx, userId, provider, 'settings', meta);
    return 'linked';
  });
}

export async function listIdentities(db: Db, userId: string): Promise<IdentityRow[]> {
  return db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId)).orderBy(oauthAccounts.linkedAt);
}

/**
 * Unlinks one identity, unless it is the last way to sign in: no password and no other identity
 * at a provider that is still configured. The user row is locked so two concurrent unlinks
 * cannot each see the other identity and remove both. `by`: an administrator doing it for the
 * holder (the admin console), who is then told by mail.
 */
export async function unlinkIdentity(
  ctx: AppContext,
  userId: string,
  identityId: string,
  enabledProviders: Set<string>,
  meta: RequestMeta,
  by?: { actorId: string },
): Promise<void> {
  const missing = () => notFound(by ? 'No such linked provider.' : 'No such linked account.');
  await inTransaction(ctx, async (tx) => {
    const user = await lockUser(tx, userId);
    if (!user) throw missing();
    const identities = await tx.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId));
    const target = identities.find((i) => i.id === identityId);
    if (!target) throw missing();
    // A passkey is a way in too (services/passkeys.ts).
    const passkeyCount = await tx.$count(passkeys, eq(passkeys.userId, userId));
    const otherWays = (user.hasPassword ? 1 : 0) + passkeyCount + identities.filter((i) => i.id !== identityId && enabledProviders.has(i.provider)).length;
    if (otherWays === 0) {
      throw new ApiError(
        409,
        'CONFLICT',
        by
          ? "This is the account's only way to sign in: it would be shut out. Send them a password reset first."
          : 'This is your only way to sign in. Set a password or link another provider before unlinking it.',
      );
    }
    await tx.delete(oauthAccounts).where(eq(oauthAccounts.id, identityId));
    await recordAudit(tx, {
      type: 'oauth.unlinked',
      userId,
      actorId: by?.actorId,
      meta,
      details: { provider: target.provider, ...(by && { by: 'admin' }) },
    });
    if (by) {
      const mail = providerUnlinkedByAdminMail({
        displayName: user.displayName,
        providerName: providerName(ctx.config, target.provider),
        securityUrl: webLink(ctx.config, 'securitySettings'),
      });
      await enqueueMail(ctx, tx, user.email, mail);
    }
  });
}

async function findIdentity(db: Db, provider: ProviderId, subject: string): Promise<IdentityRow | undefined> {
  const [row] = await db
    .select()
    .from(oauthAccounts)
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.subject, subject)));
  return row;
}

async function insertIdentity(tx: Db, userId: string, provider: ProviderId, profile: ProviderProfile): Promise<IdentityRow | undefined> {
  const [row] = await tx
    .insert(oauthAccounts)
    .values({ userId, provider, subject: profile.subject, email: profile.email, emailVerified: profile.emailVerified })
    .onConflictDoNothing({ target: [oauthAccounts.provider, oauthAccounts.subject] })
    .returning();
  return row;
}

async function lockUser(tx: Db, userId: string): Promise<{ hasPassword: boolean; email: string; displayName: string } | undefined> {
  const [row] = await tx
    .select({ hasPassword: sql<boolean>`${users.passwordHash} is not null`.mapWith(Boolean), email: users.email, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  return row;
}

/** The provider's name for the person, cleaned to displayName's rules (services/shownText.ts); else the email's local part. */
function displayNameFor(profile: ProviderProfile & { email: string }): string {
  // Cleaned again after the cut: a cut can split a surrogate pair or leave a trailing space.
  const fit = (text: string) => cleanShownText(cleanShownText(text).slice(0, 100));
  return fit(profile.name ?? '') || fit(profile.email.split('@')[0] ?? '') || 'User';
}
