import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Db } from '../db/client.js';
import { signingKeys } from '../db/schema.js';
import { encrypt } from './secrets.js';
import { readPrivateJwk } from './signingKeyStorage.js';

/**
 * The signing key ring, kept in the database so that every instance signs with the same key and
 * verifies every key still in use. Private keys are stored encrypted; only the keys that sign now
 * or are about to are decrypted, in memory.
 *
 * Pre-publication: a rotation publishes the new key at once but signs with it only from
 * `activates_at` (KEY_PREPUBLISH later). Until then the old key keeps signing; it stays published
 * until its last tokens have expired. So every instance (told by the bus, or at worst by an unknown
 * kid or its periodic reload) and every verifier's JWKS cache holds the new key before any token
 * signed with it exists. Each instance switches by its own clock at `activates_at`, no message needed.
 */

export type SigningAlg = 'EdDSA' | 'ES256';

interface PublicKeyEntry {
  kid: string;
  alg: string;
  jwk: JWK;
  key: CryptoKey;
  /** When a retired key stops being valid (and leaves the JWKS); null while it signs. */
  expiresAt: Date | null;
}

export interface KeyRingOptions {
  db: Db;
  alg: SigningAlg;
  encryptionKey: Buffer;
  /** How long a retired key stays published: the access-token lifetime plus clock tolerance. */
  retiredKeyTtlMs: number;
  rotationIntervalMs: number;
  /** How long a new key is published before it signs (KEY_PREPUBLISH). */
  prepublishMs?: number;
}

interface SigningKey {
  kid: string;
  alg: SigningAlg;
  key: CryptoKey;
  /** The same private key for node:crypto's synchronous `sign` (jwsSign.ts). */
  keyObject: KeyObject;
  createdAt: Date;
  /** From when it signs. */
  activatesAt: Date;
}

export interface RotationChange {
  kid: string;
  retiredKid: string | null;
  /** ISO time from which the new key signs; the retired one signs until then. */
  activatesAt: string;
}

const ROTATION_LOCK_ID = 7_117_002;
/**
 * An unknown kid may belong to a key another instance has just rotated in (its announcement not
 * here yet), so it triggers a reload rather than a refusal: at most one per second, callers
 * waiting for it, so forged kids cannot hammer the database. Only well-formed kids (RFC 7638
 * SHA-256 thumbprints, as every key here has) qualify, and one still unknown after a reload
 * is refused at once for a minute.
 */
const UNKNOWN_KID_RELOAD_MS = 1_000;
const UNKNOWN_KID_MEMORY_MS = 60_000;
const KID_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** How recent a reload the JWKS may answer from, and so how long a rotation waits after its commit (upToDate). */
export const FRESH_RELOAD_MS = 250;

export class KeyRing {
  private publicKeys = new Map<string, PublicKeyEntry>();
  /** The key signing now and any pre-published ones, by activation time (oldest first). */
  private signers: SigningKey[] = [];
  private lastReload = 0;
  private reloading?: Promise<void>;
  /** performance.now() when the running reload started, and when the last one that succeeded started. */
  private reloadingSince = 0;
  private lastGoodReloadSince = -Infinity;
  private unknownKids = new Map<string, number>();
  /** What this ring's last rotation did (for the caller to report). */
  lastRotation?: RotationChange;

  constructor(private readonly options: KeyRingOptions) {}

  /** Loads the ring, creating or rotating the signing key when none is active or it is due. */
  async start(): Promise<void> {
    await this.rotateIfDue();
    await this.reload();
  }

  /** The newest key whose activation time has come; a pre-published key takes over by the clock. */
  signingKey(): SigningKey {
    const now = Date.now();
    const active = this.signers.findLast((k) => k.activatesAt.getTime() <= now) ?? this.signers[0];
    if (!active) throw new Error('Key ring not started');
    return active;
  }

  /**
   * For the JWKS: resolves once the ring holds every key committed before this call, or after
   * `maxMs` with the ring as it is (a database that does not answer must not take the JWKS down).
   * A rotation on another instance is announced here through the bus, but PostgreSQL hands a
   * NOTIFY to each listener on its own schedule: on a busy machine the announcement reached this
   * instance after a client that had seen the rotate call answer asked for the JWKS (a CI-like
   * run of faults/key-prepublish). Reading the ring again is what makes "in every instance's JWKS
   * when rotate answers" hold.
   *
   * The JWKS is public, so not every request reads the database: a reload that started within the
   * last FRESH_RELOAD_MS serves (at most 4 small queries a second per instance, however many
   * requests). That still holds the promise because every rotation waits FRESH_RELOAD_MS after
   * its commit before it returns (rotate()): a request that comes after it uses a reload that
   * started after the commit. Only durations on each instance's own monotonic clock are compared.
   */
  async upToDate(maxMs = 1_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxMs);
      timer.unref();
    });
    try {
      await Promise.race([this.reloadStartedSince(performance.now() - FRESH_RELOAD_MS).catch(() => {}), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A reload that started at or after `since` (performance.now()): the running one, the last good one, or a new one. */
  private async reloadStartedSince(since: number): Promise<void> {
    if (this.reloading && this.reloadingSince >= since) return this.reloading;
    if (!this.reloading && this.lastGoodReloadSince >= since) return;
    return this.reload();
  }

  /** Resolves a verification key by `kid`; the algorithm must be the one that key was made for. */
  async verificationKey(kid: string, alg: string): Promise<CryptoKey | undefined> {
    let entry = this.publicKeys.get(kid);
    if (!entry && KID_SHAPE.test(kid) && !((this.unknownKids.get(kid) ?? 0) > Date.now())) {
      await this.reloadAfter(Date.now());
      entry = this.publicKeys.get(kid);
      if (!entry) {
        if (this.unknownKids.size > 10_000) this.unknownKids.clear();
        this.unknownKids.set(kid, Date.now() + UNKNOWN_KID_MEMORY_MS);
      }
    }
    return entry && entry.alg === alg && isValid(entry) ? entry.key : undefined;
  }

  /** Waits until a reload that started at or after `askedAt` has finished, starting one when allowed. */
  private async reloadAfter(askedAt: number): Promise<void> {
    for (;;) {
      if (this.reloading) {
        const startedAfter = this.lastReload >= askedAt;
        await this.reloading.catch(() => {});
        if (startedAfter) return;
        continue;
      }
      if (this.lastReload >= askedAt) return;
      const wait = this.lastReload + UNKNOWN_KID_RELOAD_MS - Date.now();
      if (wait <= 0) {
        await this.reload().catch(() => {});
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** The active key and retired keys whose tokens may still be valid; an expired key leaves at once. */
  jwks(): { keys: JWK[] } {
    return { keys: [...this.publicKeys.values()].filter(isValid).map((e) => ({ ...e.jwk, kid: e.kid, alg: e.alg, use: 'sig' })) };
  }

  algorithms(): string[] {
    return [...new Set([...this.publicKeys.values()].map((e) => e.alg))];
  }

  /**
   * Re-reads the ring. A reload asked for while one runs starts again after it, so that a caller
   * (a `keys` event) always sees rows committed before it asked.
   */
  async reload(): Promise<void> {
    if (this.reloading) {
      this.again ??= this.reloading
        .catch(() => {})
        .then(() => {
          this.again = undefined;
          return this.reload();
        });
      return this.again;
    }
    const since = performance.now();
    this.reloadingSince = since;
    this.reloading = this.load()
      .then(() => {
        this.lastGoodReloadSince = since;
      })
      .finally(() => {
        this.reloading = undefined;
      });
    return this.reloading;
  }
  private again?: Promise<void>;

  private async load(): Promise<void> {
    const { db } = this.options;
    this.lastReload = Date.now();
    const rows = await db
      .select()
      .from(signingKeys)
      .where(or(isNull(signingKeys.expiresAt), gt(signingKeys.expiresAt, new Date())))
      .orderBy(desc(signingKeys.createdAt));
    const keys = new Map<string, PublicKeyEntry>();
    for (const row of rows) {
      const key = (await importJWK(row.publicJwk as JWK, row.alg)) as CryptoKey;
      keys.set(row.kid, { kid: row.kid, alg: row.alg, jwk: row.publicJwk as JWK, key, expiresAt: row.expiresAt });
    }
    // Signers: keys not retired, or retired only from a future moment (the one a pre-published key replaces).
    const now = Date.now();
    const known = new Map(this.signers.map((k) => [k.kid, k]));
    const signers: SigningKey[] = [];
    for (const row of rows.filter((r) => r.retiredAt === null || r.retiredAt.getTime() > now)) {
      const activatesAt = row.activatesAt ?? row.createdAt;
      const cached = known.get(row.kid);
      if (cached) {
        signers.push({ ...cached, activatesAt });
        continue;
      }
      const privateJwk = readPrivateJwk(this.options.encryptionKey, row.kid, row.privateJwkEncrypted);
      signers.push({
        kid: row.kid,
        alg: row.alg as SigningAlg,
        key: (await importJWK(privateJwk, row.alg)) as CryptoKey,
        keyObject: createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }),
        createdAt: row.createdAt,
        activatesAt,
      });
    }
    signers.sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime());
    if (signers.length > 0) this.signers = signers;
    this.publicKeys = keys;
  }

  /** Rotates when there is no active key, it has another algorithm than configured, or it is due. */
  async rotateIfDue(onRotated?: Parameters<KeyRing['rotate']>[1]): Promise<boolean> {
    return this.rotate(false, onRotated);
  }

  /**
   * A new key, published now, signs from `prepublishMs` on (at once when there is no key yet); the
   * old one signs until then and stays published until its tokens have expired. Runs under a
   * transaction-scoped advisory lock so that several instances rotate once, not N times.
   * `onRotated` runs inside the same transaction (to write the audit event with the change).
   */
  async rotate(force = true, onRotated?: (tx: Db, change: RotationChange) => Promise<void>, prepublishMs = this.options.prepublishMs ?? 0): Promise<boolean> {
    const { db, alg, encryptionKey, retiredKeyTtlMs, rotationIntervalMs } = this.options;
    const rotated = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ROTATION_LOCK_ID})`);
      const [current] = await tx.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt)).limit(1);
      const due = !current || current.alg !== alg || Date.now() - current.createdAt.getTime() >= rotationIntervalMs;
      if (!force && !due) return false;

      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const now = new Date();
      // Nothing to verify yet on a fresh deployment: the first key signs at once.
      const activatesAt = current ? new Date(now.getTime() + prepublishMs) : now;
      if (current) {
        // The current key signs until the new one activates; its tokens then live one TTL longer.
        await tx
          .update(signingKeys)
          .set({ retiredAt: activatesAt, expiresAt: new Date(activatesAt.getTime() + retiredKeyTtlMs) })
          .where(and(eq(signingKeys.kid, current.kid), isNull(signingKeys.retiredAt)));
      }
      await tx.insert(signingKeys).values({
        kid,
        alg,
        publicJwk: publicJwk as Record<string, unknown>,
        privateJwkEncrypted: encrypt(encryptionKey, JSON.stringify(await exportJWK(privateKey))),
        createdAt: now,
        activatesAt,
      });
      this.lastRotation = { kid, retiredKid: current?.kid ?? null, activatesAt: activatesAt.toISOString() };
      await onRotated?.(tx, this.lastRotation);
      return true;
    });
    if (rotated) {
      // Any JWKS asked from now on, on any instance, must hold the new key: theirs answer from a
      // reload at most FRESH_RELOAD_MS old (upToDate), so one started after the commit once this waits.
      await Promise.all([this.reload(), new Promise((resolve) => setTimeout(resolve, FRESH_RELOAD_MS))]);
    }
    return rotated;
  }
}

const isValid = (entry: PublicKeyEntry) => entry.expiresAt === null || entry.expiresAt.getTime() > Date.now();
