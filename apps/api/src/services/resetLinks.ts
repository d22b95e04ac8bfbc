// A reset link looked at without using it up: the web's reset page asks when it opens, so a dead
// link is said at once (not after two passwords were typed), and gets the address for password
// managers' username field. The same conditions as using the token (passwordAccount.ts).
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { oneTimeTokens, users } from '../db/schema.js';
import { invalidResetToken } from './passwordAccount.js';
import { sha256 } from './secrets.js';

export async function checkResetLink(db: Db, token: string): Promise<{ email: string }> {
  const [row] = await db
    .select({ email: users.email })
    .from(oneTimeTokens)
    .innerJoin(users, eq(users.id, oneTimeTokens.userId))
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        eq(oneTimeTokens.purpose, 'password_reset'),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now()`),
      ),
    );
  if (!row) throw invalidResetToken();
  return row;
}
