import { desc, eq } from 'drizzle-orm';
import type { Role, ServiceAccount } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { onlyRow } from '../db/rows.js';
import { serviceAccounts } from '../db/schema.js';
import { issueAccessToken } from './accessTokens.js';
import { serviceAccountCreatedMail } from '../mail/templates/adminGrants.js';
import { recordAudit } from './audit.js';
import { ApiError, notFound } from './errors.js';
import { enqueueMail } from './mail.js';
import { confirmRecentSignInOrPassword } from './reauthentication.js';
import { recordRevocations } from './revocations.js';
import { randomToken, safeEqual, sha256 } from './secrets.js';
import { inTransaction } from './transaction.js';
import { webLink } from './webLinks.js';

/**
 * Service accounts (issue 15): machine clients that get access tokens with the OAuth 2.0 client
 * credentials grant (`POST /api/oauth/token`). The token is the same signed JWT a sign-in gets,
 * with `sub` and `sid` the service account's id, `role` its role and `client_id` its client id,
 * so every verifier of access tokens (the SDK's included) accepts it. The secret is 256 random
 * bits, stored as its SHA-256. Deleting the account revokes its tokens at once (a `user`
 * revocation of its id, as for a deleted user).
 */

type Row = typeof serviceAccounts.$inferSelect;

const toPublic = (row: Row): ServiceAccount => ({
  id: row.id,
  name: row.name,
  clientId: row.clientId,
  role: row.role,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

interface By {
  actorId: string;
  meta: RequestMeta;
}

export async function listServiceAccounts(ctx: AppContext): Promise<ServiceAccount[]> {
  return (await ctx.db.select().from(serviceAccounts).orderBy(desc(serviceAccounts.createdAt))).map(toPublic);
}

export async function createServiceAccount(
  ctx: AppContext,
  input: { name: string; role: Role; password?: string | undefined },
  by: By & { sessionId: string },
) {
  // A credential that outlives the admin's access token (which may have been stolen): as for a
  // personal API key, a recent sign-in or the password, and a mail to the admin.
  const { user: admin, by: reauthenticatedBy } = await confirmRecentSignInOrPassword(
    ctx,
    { userId: by.actorId, sessionId: by.sessionId },
    input.password,
    by.meta,
    {
      stage: 'service_account',
      action: 'create a service account',
      failureType: 'login.failed',
    },
  );
  const clientId = `svc_${randomToken(12)}`;
  const clientSecret = randomToken(32);
  const row = await inTransaction(ctx, async (tx) => {
    const created = onlyRow(
      await tx
        .insert(serviceAccounts)
        .values({ name: input.name, role: input.role, clientId, secretHash: sha256(clientSecret), createdBy: by.actorId })
        .returning(),
      'createServiceAccount',
    );
    await recordAudit(tx, {
      type: 'service_account.created',
      userId: null,
      actorId: by.actorId,
      meta: by.meta,
      details: { serviceAccountId: created.id, clientId, role: input.role, reauthenticatedBy },
    });
    const url = webLink(ctx.config, 'adminServiceAccounts');
    await enqueueMail(ctx, tx, admin.email, serviceAccountCreatedMail({ displayName: admin.displayName, name: input.name, role: input.role, url }));
    return created;
  });
  return { serviceAccount: toPublic(row), clientSecret };
}

export async function deleteServiceAccount(ctx: AppContext, id: string, by: By): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [deleted] = await tx.delete(serviceAccounts).where(eq(serviceAccounts.id, id)).returning();
    if (!deleted) throw notFound('No such service account.');
    await recordRevocations(tx, [{ kind: 'user', subject: id, expiresAt: Date.now() + ctx.config.JWT_ACCESS_TTL + 5_000 }]);
    await recordAudit(tx, {
      type: 'service_account.deleted',
      userId: null,
      actorId: by.actorId,
      meta: by.meta,
      details: { serviceAccountId: id, clientId: deleted.clientId },
    });
  });
}

const invalidClient = () => new ApiError(401, 'INVALID_CREDENTIALS', 'The client id or secret is incorrect.');

/** The client credentials grant: an access token for the service whose id and secret these are. */
export async function issueServiceToken(ctx: AppContext, clientId: string, clientSecret: string, meta: RequestMeta) {
  const [account] = await ctx.db.select().from(serviceAccounts).where(eq(serviceAccounts.clientId, clientId));
  // Compared even for an unknown client, so both refusals take the same work.
  const matches = safeEqual(sha256(clientSecret), account?.secretHash ?? sha256(`unknown:${clientSecret}`));
  if (!account || !matches) throw invalidClient();
  const token = await issueAccessToken(ctx.tokens, { userId: account.id, sessionId: account.id, role: account.role, amr: [], clientId: account.clientId });
  await inTransaction(ctx, async (tx) => {
    await tx.update(serviceAccounts).set({ lastUsedAt: new Date() }).where(eq(serviceAccounts.id, account.id));
    await recordAudit(tx, { type: 'service_account.token_issued', userId: null, actorId: null, meta, details: { serviceAccountId: account.id, clientId } });
  });
  return { access_token: token.accessToken, token_type: 'Bearer' as const, expires_in: token.expiresIn };
}
