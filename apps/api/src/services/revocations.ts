import { and, gt, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { revocations } from '../db/schema.js';
import type { Bus, RevocationMessage } from '../realtime/bus.js';
import type { AccessClaims } from './accessTokens.js';
import type { IdentityCache } from './identityCache.js';
import { publishAfterCommit, type Tx } from './transaction.js';

/**
 * The revocations every instance enforces on access tokens without touching the database per
 * request: kept in memory, filled from the `revocations` table at start and after reconnects,
 * and kept current through the bus. Entries live as long as the access tokens they refuse.
 */
export class RevocationList {
  private sessions = new Map<string, number>();
  private users = new Map<string, number>();
  private roles = new Map<string, { role: string; until: number }>();
  /** Keyed `<userId>:<organizationId>`: the member's current role there, '' once removed (issue 16). */
  private orgRoles = new Map<string, { role: string; until: number }>();

  isRevoked(claims: Pick<AccessClaims, 'sid' | 'sub' | 'role' | 'org_id' | 'org_role'>): boolean {
    const now = Date.now();
    const live = (until: number | undefined) => until !== undefined && until > now;
    if (live(this.sessions.get(claims.sid)) || live(this.users.get(claims.sub))) return true;
    const role = this.roles.get(claims.sub);
    if (role !== undefined && role.until > now && role.role !== claims.role) return true;
    if (claims.org_id === undefined) return false;
    const orgRole = this.orgRoles.get(`${claims.sub}:${claims.org_id}`);
    return orgRole !== undefined && orgRole.until > now && orgRole.role !== claims.org_role;
  }

  /** Whether this session's tokens are refused now (the session was revoked within an access-token lifetime). */
  isSessionRevoked(sessionId: string): boolean {
    const until = this.sessions.get(sessionId);
    return until !== undefined && until > Date.now();
  }

  apply(entries: RevocationMessage[]): void {
    for (const e of entries) {
      if (e.kind === 'session') this.sessions.set(e.subject, Math.max(e.expiresAt, this.sessions.get(e.subject) ?? 0));
      else if (e.kind === 'user') this.users.set(e.subject, Math.max(e.expiresAt, this.users.get(e.subject) ?? 0));
      else if (e.kind === 'role' && e.role) {
        // The newest role change wins. Entries arrive twice (PostgreSQL and Redis) and in any order
        // across the two, so "newest" is the later expiry (every entry lives one access-token
        // lifetime from its change), not the later arrival: applying is idempotent and commutative.
        const known = this.roles.get(e.subject);
        if (!known || e.expiresAt >= known.until) this.roles.set(e.subject, { role: e.role, until: e.expiresAt });
      } else if (e.kind === 'org_role' && e.role) {
        // Same rule as `role`, per organization: `<organizationId>:<orgRole>`.
        const at = e.role.indexOf(':');
        if (at < 0) continue;
        const key = `${e.subject}:${e.role.slice(0, at)}`;
        const known = this.orgRoles.get(key);
        if (!known || e.expiresAt >= known.until) this.orgRoles.set(key, { role: e.role.slice(at + 1), until: e.expiresAt });
      }
    }
  }

  prune(now = Date.now()): void {
    for (const [k, until] of this.sessions) if (until <= now) this.sessions.delete(k);
    for (const [k, until] of this.users) if (until <= now) this.users.delete(k);
    for (const [k, v] of this.roles) if (v.until <= now) this.roles.delete(k);
    for (const [k, v] of this.orgRoles) if (v.until <= now) this.orgRoles.delete(k);
  }

  get size() {
    return this.sessions.size + this.users.size + this.roles.size + this.orgRoles.size;
  }
}

/** Reads every revocation that may still matter. */
export async function loadRevocations(db: Db, list: RevocationList): Promise<void> {
  const rows = await db.select().from(revocations).where(gt(revocations.expiresAt, new Date())).orderBy(revocations.id);
  list.apply(rows.map(toMessage));
}

/** Clock difference tolerated between this instance and the database when looking for "recent" rows. */
const RECENT_MARGIN_MS = 60_000;

/**
 * After a transaction whose outcome is unknown: whatever it may have revoked is in the table if it
 * committed, so apply and publish every live revocation written since it began (with a margin for
 * clock differences). Throws while the database does not answer, for the caller to retry.
 */
export async function republishRecentRevocations(db: Db, publish: (entries: RevocationMessage[]) => Promise<void>, since: Date): Promise<void> {
  const rows = await db
    .select()
    .from(revocations)
    .where(and(gte(revocations.createdAt, new Date(since.getTime() - RECENT_MARGIN_MS)), gt(revocations.expiresAt, new Date())))
    .orderBy(revocations.id);
  await publish(rows.map(toMessage));
}

const toMessage = (r: typeof revocations.$inferSelect): RevocationMessage => ({
  kind: r.kind,
  subject: r.subject,
  role: r.role,
  expiresAt: r.expiresAt.getTime(),
});

export async function deleteExpiredRevocations(db: Db): Promise<void> {
  await db.delete(revocations).where(lt(revocations.expiresAt, new Date()));
}

/** Writes revocation rows inside the caller's transaction (services/transaction.ts), which publishes them once it commits. */
export async function recordRevocations(tx: Tx, entries: RevocationMessage[]): Promise<void> {
  if (entries.length === 0) return;
  publishAfterCommit(tx, entries);
  await tx.insert(revocations).values(entries.map((e) => ({ kind: e.kind, subject: e.subject, role: e.role ?? null, expiresAt: new Date(e.expiresAt) })));
}

export function createRevocationPublisher(list: RevocationList, bus: Bus, identities: IdentityCache) {
  return async (entries: RevocationMessage[]) => {
    if (entries.length === 0) return;
    // This instance applies at once; the others within the bus's latency.
    list.apply(entries);
    identities.applyRevocations(entries);
    await bus.publish({ type: 'revocations', entries, sentAt: Date.now() }).catch(() => {});
  };
}
