import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { hash as bcryptHash, verify as bcryptVerify } from '@node-rs/bcrypt';
import pLimit from 'p-limit';
import { LIMITS } from '@portcullis/contract/limits';
import { PASSWORD_CLASSES } from '@portcullis/contract/passwordPolicy';
import type { Config } from '../config.js';
import { API_DATA } from '../paths.js';
import type { FieldIssue } from './errors.js';

/**
 * Password hashing and policy. Both libraries hash on libuv's thread pool, off the event loop.
 * Argon2id uses OWASP's recommended parameters (19 MiB, 2 iterations, 1 lane).
 *
 * At most `concurrency` hashes run at once (default: the cores this process may use). libuv's pool
 * has 4 threads: on a 2-core machine, 4 Argon2id hashes at once took 12.6 ms of CPU each against
 * 8.8 ms for 2 at once (bench, the same hasher; each hash walks its own 19 MiB, and more of them
 * than cores evict each other's memory from the caches), so 4 at once did fewer hashes a second,
 * and left no thread for the pool's other work. The rest wait their turn here, in order.
 */

export type PasswordHashKind = 'argon2id' | 'bcrypt';

/** `algorithm: 2` is Argon2id (the library's const enum cannot be imported under isolatedModules). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const BCRYPT_COST = 12;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** True when the stored hash was made with another algorithm or other parameters than now. */
  needsRehash(hash: string): boolean;
  /**
   * Verifies against a throwaway hash made with the current settings, so that a login for an
   * unknown email costs the same time as one with a wrong password.
   */
  burn(password: string): Promise<void>;
}

export function createPasswordHasher(kind: PasswordHashKind, concurrency = os.availableParallelism()): PasswordHasher {
  const inTurn = pLimit(concurrency);
  const hash = (password: string) =>
    inTurn(() => (kind === 'argon2id' ? argon2Hash(password, ARGON2) : bcryptHash(password, { cost: BCRYPT_COST, version: '2b' })));
  let dummy: Promise<string> | undefined;

  const verify = async (stored: string, password: string): Promise<boolean> => {
    try {
      if (stored.startsWith('$argon2')) return await inTurn(() => argon2Verify(stored, password));
      if (/^\$2[aby]\$/.test(stored)) return await inTurn(() => bcryptVerify(password, stored));
    } catch {
      // A corrupt hash verifies nothing.
    }
    return false;
  };

  return {
    hash,
    verify,
    needsRehash(stored) {
      if (kind === 'argon2id') {
        const { memoryCost: m, timeCost: t, parallelism: p } = ARGON2;
        return !stored.startsWith(`$argon2id$v=19$m=${m},t=${t},p=${p}$`);
      }
      return !/^\$2b\$12\$/.test(stored);
    },
    async burn(password) {
      dummy ??= hash('portcullis-dummy-password');
      await verify(await dummy, password);
    },
  };
}

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  requireClasses: boolean;
  /** The account's email, when known: a password containing its local part is refused. */
  email?: string;
}

/** The policy the configuration sets (PASSWORD_MIN_LENGTH, PASSWORD_REQUIRE_CLASSES), up to the contract's maximum length. */
export const configuredPasswordPolicy = (config: Pick<Config, 'PASSWORD_MIN_LENGTH' | 'PASSWORD_REQUIRE_CLASSES'>): PasswordPolicy => ({
  minLength: config.PASSWORD_MIN_LENGTH,
  maxLength: LIMITS.passwordMax,
  requireClasses: config.PASSWORD_REQUIRE_CLASSES,
});

/** The contract's rules, each failing rule one sentence, so a form can show all of them at once. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, field = 'password'): FieldIssue[] {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (password.length > policy.maxLength) problems.push(`at most ${policy.maxLength} characters`);
  if (policy.requireClasses) {
    for (const kind of PASSWORD_CLASSES) if (!kind.pattern.test(password)) problems.push(kind.need);
  }
  if (problems.length) return [{ field, message: `Password needs ${problems.join(', ')}.` }];
  if (isCommonPassword(password)) return [{ field, message: 'This password is one of the most common ones and appears in breaches. Choose another.' }];
  if (policy.email !== undefined) return checkPasswordAgainstEmail(password, policy.email, field);
  return [];
}

/** A password that contains the email's local part (when it has at least 3 characters) is refused. */
export function checkPasswordAgainstEmail(password: string, email: string, field = 'password'): FieldIssue[] {
  const local = (email.trim().split('@')[0] ?? '').toLowerCase();
  if (local.length >= 3 && password.toLowerCase().includes(local)) {
    return [{ field, message: 'Password must not contain your email address.' }];
  }
  return [];
}

/**
 * The most common passwords seen in breaches (data/common-passwords.txt: 49,233 entries, MIT, from
 * zxcvbn-ts's language-common list), compared case-insensitively. Loaded once, on first use.
 */
let commonPasswords: Set<string> | undefined;
function loadCommonPasswords(): Set<string> {
  commonPasswords ??= new Set(
    readFileSync(path.join(API_DATA, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  return commonPasswords;
}

export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(password.toLowerCase());
}

/** Hex characters of SHA-256 a client sends to ask about a password (k-anonymity, as Have I Been Pwned's range API). */
export const COMMON_PASSWORD_PREFIX_LENGTH = 5;

let commonByPrefix: Map<string, string[]> | undefined;
/**
 * The common passwords whose SHA-256 (hex, of the lower-cased password) starts with `prefix`, as
 * the rest of each hash: a form can tell "this is a common password" while the person types,
 * without the password (or its whole hash) leaving the browser.
 */
export function commonPasswordSuffixes(prefix: string): string[] {
  if (!commonByPrefix) {
    commonByPrefix = new Map();
    for (const password of loadCommonPasswords()) {
      const hash = createHash('sha256').update(password).digest('hex');
      const key = hash.slice(0, COMMON_PASSWORD_PREFIX_LENGTH);
      const bucket = commonByPrefix.get(key);
      if (bucket) bucket.push(hash.slice(COMMON_PASSWORD_PREFIX_LENGTH));
      else commonByPrefix.set(key, [hash.slice(COMMON_PASSWORD_PREFIX_LENGTH)]);
    }
  }
  return commonByPrefix.get(prefix.toLowerCase()) ?? [];
}
