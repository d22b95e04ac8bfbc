import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { onlyRow } from '../db/rows.js';
import { users } from '../db/schema.js';
import { recordAudit } from './audit.js';
import { ApiError } from './errors.js';
import { inTransaction } from './transaction.js';
import { checkPasswordPolicy, configuredPasswordPolicy } from './passwords.js';
import { findHiddenCharacter, hiddenCharacterMessage } from '@portcullis/contract/shownText';
import { countAdmins, findUserByEmail, normalizeEmail, toPublicUser, type PublicUser } from './users.js';

/** The first admin: from ALLOW_BOOTSTRAP at start-up, or from the operator's CLI (`create-admin`). */

/** Any constant: every instance asks PostgreSQL for the same lock, so only one creates the admin. */
const BOOTSTRAP_LOCK_ID = 7_117_003;

export interface NewAdmin {
  email: string;
  password: string;
  displayName: string;
}

/** Checks the password against the same policy as sign-up; throws 400 VALIDATION_FAILED. */
export function checkAdminPassword(ctx: AppContext, password: string): void {
  const issues = checkPasswordPolicy(password, configuredPasswordPolicy(ctx.config));
  const [first] = issues;
  if (first) throw new ApiError(400, 'VALIDATION_FAILED', first.message, issues);
}

/**
 * Creates an admin account. The operator typed the address, so it counts as verified. When
 * `onlyIfNoAdmin`, does nothing if an admin exists (checked under the advisory lock).
 */
export async function createAdmin(
  ctx: AppContext,
  input: NewAdmin,
  options: { via: 'bootstrap' | 'cli'; onlyIfNoAdmin?: boolean },
): Promise<PublicUser | undefined> {
  const email = input.email.trim();
  // The same rules as sign-up, for input that came from a command line or the environment.
  if (!z.email().max(254).safeParse(email).success) throw new ApiError(400, 'VALIDATION_FAILED', `${JSON.stringify(email)} is not a valid email address.`);
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 100) throw new ApiError(400, 'VALIDATION_FAILED', 'The display name must be 1 to 100 characters.');
  const hidden = findHiddenCharacter(displayName);
  if (hidden) throw new ApiError(400, 'VALIDATION_FAILED', hiddenCharacterMessage('The display name', hidden));
  checkAdminPassword(ctx, input.password);
  const passwordHash = await ctx.passwords.hash(input.password);
  // inTransaction: the user.created webhook event goes out once the admin is committed.
  return inTransaction(ctx, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`);
    if (options.onlyIfNoAdmin && (await countAdmins(tx)) > 0) return undefined;
    if (await findUserByEmail(tx, email)) {
      throw new ApiError(409, 'EMAIL_TAKEN', `An account with ${email} already exists; use set-role to make it an admin.`);
    }
    const user = onlyRow(
      await tx
        .insert(users)
        .values({ email, emailNormalized: normalizeEmail(email), displayName, passwordHash, role: 'admin', emailVerifiedAt: new Date() })
        .returning(),
      'createAdmin',
    );
    await recordAudit(tx, { type: 'user.registered', userId: user.id, actorId: null, details: { via: options.via, role: 'admin' } });
    return toPublicUser({ ...user, mfaEnabled: false });
  });
}

/**
 * ALLOW_BOOTSTRAP at start-up: creates BOOTSTRAP_ADMIN_EMAIL as an admin when there is no admin
 * yet. Idempotent and safe when several instances start at once. An existing account with that
 * address is never promoted (someone else may have registered it first); the operator is told.
 */
export async function bootstrapAdmin(ctx: AppContext): Promise<void> {
  const { config, logger } = ctx;
  // Config refuses ALLOW_BOOTSTRAP in production; checked again here because this creates an admin.
  if (!config.ALLOW_BOOTSTRAP || config.isProduction || !config.BOOTSTRAP_ADMIN_EMAIL || !config.BOOTSTRAP_ADMIN_PASSWORD) return;
  try {
    const created = await createAdmin(
      ctx,
      { email: config.BOOTSTRAP_ADMIN_EMAIL, password: config.BOOTSTRAP_ADMIN_PASSWORD, displayName: 'Administrator' },
      { via: 'bootstrap', onlyIfNoAdmin: true },
    );
    if (created) logger.warn({ email: created.email }, 'bootstrap: created the first admin from BOOTSTRAP_ADMIN_EMAIL; unset ALLOW_BOOTSTRAP now');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'VALIDATION_FAILED') throw new Error(`Invalid configuration: BOOTSTRAP_ADMIN_PASSWORD: ${error.message}`);
    logger.error(`bootstrap: ${error.message} No admin was created.`);
  }
}
