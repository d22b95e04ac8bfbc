import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { hasPermission, type ApiKey, type Permission, type Role } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { onlyRow } from '../db/rows.js';
import { apiKeys, users } from '../db/schema.js';
import type { AccessClaims } from './accessTokens.js';
import { apiKeyCreatedMail } from '../mail/templates/apiKeys.js';
import { recordAudit } from './audit.js';
import { forbidden, invalidBearer, notFound } from './errors.js';
import { confirmRecentSignInOrPassword } from './reauthentication.js';
import { randomToken, sha256 } from './secrets.js';
import { inTransaction } from './transaction.js';
import { enqueueMail } from './mail.js';
import { webLink } from './webLinks.js';

/**
 * Personal API keys (issue 15): `pk_` and 256 random bits, sent as a bearer credential by scripts
 * and CLIs. Only the SHA-256 is stored (the key has full entropy, so no password hash is needed;
 * the lookup is by that hash, like refresh tokens). A key acts for its owner, as the owner's
 * current role allows, and only within its own permissions: `read`, `write` and `delete` (which
 * every owner has over their own resources; over others' the role decides, as for the owner) and
 * `manage_users` only while the owner's role has it, checked again on every use, so a demoted
 * admin's key loses it. Keys reach only endpoints open to machine callers (`machineCallers`,
 * permission-gated ones), never the account's own management (authorize.ts `requireSession`).
 */

export const API_KEY_PREFIX = 'pk_';
/** `last_used_at` is written at most this often per key: a busy script must not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

type Row = typeof apiKeys.$inferSelect;

/** What an owner may give a key: what they can do to their own resources, and their role's reach beyond. */
const ownerMay = (role: Role, permission: Permission) => permission !== 'manage_users' || hasPermission(role, permission);

const toPublic = (row: Row): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  permissions: row.permissions as Permission[],
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

const live = () => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)));

export async function listApiKeys(ctx: AppContext, userId: string): Promise<ApiKey[]> {
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), live()))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toPublic);
}

export async function createApiKey(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { name: string; permissions: Permission[]; expiresInDays: number | null; password?: string | undefined },
  meta: RequestMeta,
): Promise<{ apiKey: ApiKey; key: string }> {
  // A lasting credential, so a stolen access token alone must not mint one.
  const { user, by } = await confirmRecentSignInOrPassword(ctx, auth, input.password, meta, {
    stage: 'api_key',
    action: 'create an API key',
    failureType: 'login.failed',
  });
  const permissions = [...new Set(input.permissions)];
  const wider = permissions.filter((p) => !ownerMay(user.role, p));
  if (wider.length > 0) throw forbidden(`Your role (${user.role}) does not have ${wider.join(', ')}: a key cannot have more than you.`);
  const key = API_KEY_PREFIX + randomToken(32);
  const row = await inTransaction(ctx, async (tx) => {
    const created = onlyRow(
      await tx
        .insert(apiKeys)
        .values({
          userId: user.id,
          name: input.name,
          prefix: key.slice(0, 10),
          tokenHash: sha256(key),
          permissions,
          expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000),
        })
        .returning(),
      'createApiKey',
    );
    await recordAudit(tx, {
      type: 'api_key.created',
      userId: user.id,
      meta,
      details: { apiKeyId: created.id, permissions, expiresAt: created.expiresAt?.toISOString() ?? null, reauthenticatedBy: by },
    });
    await enqueueMail(
      ctx,
      tx,
      user.email,
      apiKeyCreatedMail({ displayName: user.displayName, keyName: input.name, settingsUrl: webLink(ctx.config, 'securitySettings') }),
    );
    return created;
  });
  return { apiKey: toPublic(row), key };
}

export async function revokeApiKey(ctx: AppContext, userId: string, id: string, meta: RequestMeta): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (!revoked) throw notFound('No such API key.');
    await recordAudit(tx, { type: 'api_key.revoked', userId, meta, details: { apiKeyId: id } });
  });
}

/**
 * The caller of a request that sent `Bearer pk_…`, or `401 INVALID_TOKEN` (unknown, revoked or
 * expired). One indexed read per request: keys are for scripts, not for browsers' every click.
 */
export async function authenticateApiKey(ctx: AppContext, key: string): Promise<AccessClaims> {
  const [found] = await ctx.db
    .select({ id: apiKeys.id, userId: apiKeys.userId, permissions: apiKeys.permissions, lastUsedAt: apiKeys.lastUsedAt, role: users.role })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.tokenHash, sha256(key)), live()));
  if (!found) throw invalidBearer('The API key is unknown, revoked or expired.');
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Not awaited: a failed write of the last use must not fail the request.
    void ctx.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(apiKeys.id, found.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(Date.now() - LAST_USED_RESOLUTION_MS)))))
      .catch(() => {});
  }
  const permissions = (found.permissions as Permission[]).filter((p) => ownerMay(found.role, p));
  const now = Math.floor(Date.now() / 1000);
  return { sub: found.userId, sid: found.id, role: found.role, iat: now, exp: now + 60, jti: found.id, apiKey: { id: found.id, permissions } };
}
