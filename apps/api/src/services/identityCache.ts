import type { User } from '@portcullis/contract';
import type { Amr } from '../db/schema.js';
import type { InvalidationMessage, RevocationMessage } from '../realtime/bus.js';

/**
 * What `GET /api/auth/me` and `GET /api/auth/session` need, kept in process so that their hot path
 * makes no database round trip (issue 12): the user's public record, and a session's liveness.
 *
 * Never stale, by construction rather than by care:
 * - every change is dropped at once on every instance: services/transaction.ts publishes an
 *   `invalidate` message after each commit that wrote a user, an MFA credential or a session
 *   (and flushes everything when a writer did not say which rows), and every revocation message
 *   (session, user, role) drops what it names, on this instance and, through the bus, on the others;
 * - a fill races no invalidation: a read that began before an invalidation is not stored
 *   (the epoch below), so a slow query can never put back what was just dropped;
 * - a session entry answers only together with its user's entry, so dropping a user (deleted,
 *   changed) sends their sessions back to the database too;
 * - a lost bus message is covered by the reconnect flush (server.ts) and a short TTL.
 * Bounded: each map keeps its `max` most recently used entries.
 */

export interface CachedSession {
  id: string;
  userId: string;
  /** Milliseconds: the idle and the absolute expiry. Past either, the entry is not used. */
  expiresAt: number;
  absoluteExpiresAt: number;
  amr: Amr[];
}

interface Entry<T> {
  value: T;
  /** Not used after this (the TTL safety net), milliseconds. */
  until: number;
}

/** A Map in least-recently-used order: a hit moves the key to the end, an insert past `max` drops the first. */
class Lru<T> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string, now: number): T | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, now: number): void {
    this.map.delete(key);
    this.map.set(key, { value, until: now + this.ttlMs });
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size() {
    return this.map.size;
  }
}

export interface IdentityCacheOptions {
  /** Entries per map (users, sessions). */
  max?: number;
  /** The safety net for a lost message: an entry is read again from the database after this. */
  ttlMs?: number;
}

export class IdentityCache {
  private readonly users: Lru<User>;
  private readonly sessions: Lru<CachedSession>;
  /** Incremented by every invalidation: a read that started under an older epoch is not stored. */
  private epoch = 0;

  constructor(options: IdentityCacheOptions = {}) {
    const max = options.max ?? 20_000;
    const ttlMs = options.ttlMs ?? 30_000;
    this.users = new Lru(max, ttlMs);
    this.sessions = new Lru(max, ttlMs);
  }

  /** Taken before a database read whose result may be stored with `fill*`. */
  begin(): number {
    return this.epoch;
  }

  user(id: string, now = Date.now()): User | undefined {
    return this.users.get(id, now);
  }

  /** A session that was live when read, still within its expiry, with its user's record: both or nothing. */
  liveSession(id: string, now = Date.now()): { session: CachedSession; user: User } | undefined {
    const session = this.sessions.get(id, now);
    if (!session) return undefined;
    if (session.expiresAt <= now || session.absoluteExpiresAt <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    const user = this.users.get(session.userId, now);
    return user ? { session, user } : undefined;
  }

  /** Stores a user read at `epoch`, unless something was invalidated since. */
  fillUser(epoch: number, user: User): void {
    if (epoch === this.epoch) this.users.set(user.id, Object.freeze(user), Date.now());
  }

  fillSession(epoch: number, session: CachedSession, user: User): void {
    if (epoch !== this.epoch) return;
    const now = Date.now();
    this.users.set(user.id, Object.freeze(user), now);
    this.sessions.set(session.id, Object.freeze(session), now);
  }

  invalidate(message: Omit<InvalidationMessage, 'type'>): void {
    this.epoch++;
    if (message.all) {
      this.clear();
      return;
    }
    for (const id of message.users ?? []) this.users.delete(id);
    for (const id of message.sessions ?? []) this.sessions.delete(id);
  }

  /** A revoked session, a deleted user (`user`) or a changed role (`role`) drops what it names. */
  applyRevocations(entries: RevocationMessage[]): void {
    const users: string[] = [];
    const sessions: string[] = [];
    for (const e of entries) (e.kind === 'session' ? sessions : users).push(e.subject);
    this.invalidate({ users, sessions });
  }

  clear(): void {
    this.epoch++;
    this.users.clear();
    this.sessions.clear();
  }

  get size() {
    return { users: this.users.size, sessions: this.sessions.size };
  }
}
