import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { signingKeys } from '../db/schema.js';
import type { RedisHealth } from '../realtime/redis.js';
import { rateLimited } from './errors.js';
import { sharedLimiter } from './rateLimitFallback.js';
import { normalizeEmail } from './users.js';

/**
 * Every rate limit of the contract, built once at start-up. Counters live in Redis when REDIS_URL
 * is set (shared by every instance, with an in-memory fallback while Redis is unreachable), in the
 * cluster primary under `npm run start:cluster`, and in this process's memory otherwise.
 *
 * Accounts are keyed by a hash of the normalised email, never by user id: an unknown address costs
 * exactly the same counter work as a known one, so limits reveal nothing about who has an account.
 */

export interface Limit {
  points: number;
  durationMs: number;
}

/** Limits taken per request, before the body is read. */
export type AddressLimit = 'login' | 'register' | 'password_forgot';
/** Limits on actions that mail someone (or otherwise cost them), per account. */
export type AccountAction = 'password_forgot' | 'verify_resend' | 'email_change' | 'email_sign_in' | 'email_sign_in_ip';

export interface RateLimits {
  enabled: boolean;
  /** Counts one request from an address; throws 429 over the limit. */
  consumeAddress(kind: AddressLimit, ip: string | null): Promise<void>;
  /**
   * Before a password is checked: takes one attempt from the account's budget for this address,
   * then from its overall budget, or throws 429. Taken first, atomically, so that parallel guesses
   * cannot all pass a check made before any of them failed. A wrong password keeps the attempt.
   */
  reserveLoginAttempt(email: string, ip: string | null): Promise<void>;
  /** After a right password: clears this account's failures from this address and refunds the overall attempt. */
  loginSucceeded(email: string, ip: string | null): Promise<void>;
  /**
   * Before an MFA code of a login is checked: one attempt from the account's overall budget, or 429.
   * Each mfaToken allows only a few codes, but whoever knows the password can get new mfaTokens;
   * this bounds their guesses per account, from every address together. A right code refunds it.
   */
  reserveSecondFactorAttempt(email: string): Promise<void>;
  secondFactorSucceeded(email: string): Promise<void>;
  consumeAccountAction(action: AccountAction, account: string): Promise<void>;
}

export function createRateLimits(config: Config, redis: RedisHealth | undefined, namespace: string): RateLimits {
  const enabled = config.RATE_LIMITS === 'on';
  const prefix = `portcullis:rl:${namespace}`;
  const make = (name: string, limit: Limit) => buildLimiter(`${prefix}:${name}`, limit, redis);

  const address: Record<AddressLimit, RateLimiterAbstract> = {
    login: make('ip-login', config.RATE_LIMIT_LOGIN_PER_IP),
    register: make('ip-register', config.RATE_LIMIT_REGISTER_PER_IP),
    // Reset mails to many accounts from one address (the per-account limit alone lets one client mail everyone).
    password_forgot: make('ip-password-forgot', config.RATE_LIMIT_PASSWORD_FORGOT_PER_IP),
  };
  const accountIp = make('login-account-ip', config.RATE_LIMIT_LOGIN_PER_ACCOUNT_IP);
  const account = make('login-account', config.RATE_LIMIT_LOGIN_PER_ACCOUNT);
  const actions: Record<AccountAction, RateLimiterAbstract> = {
    password_forgot: make('password-forgot', config.RATE_LIMIT_PASSWORD_FORGOT),
    verify_resend: make('verify-resend', config.RATE_LIMIT_VERIFY_RESEND),
    // Its own counter: each request mails two addresses, one of them not (yet) the account's.
    email_change: make('email-change', config.RATE_LIMIT_EMAIL_CHANGE),
    // Sign-in codes: per address asked for, and per client address across accounts (keyed by addressKey).
    email_sign_in: make('email-sign-in', config.RATE_LIMIT_EMAIL_SIGNIN),
    email_sign_in_ip: make('email-sign-in-ip', config.RATE_LIMIT_EMAIL_SIGNIN_PER_IP),
  };

  return {
    enabled,
    async consumeAddress(kind, ip) {
      if (!enabled) return;
      await consume(address[kind], addressKey(ip));
    },
    async reserveLoginAttempt(email, ip) {
      if (!enabled) return;
      const accountKey = emailKey(email);
      // The same work for every email, known or not. An address already locked out does not eat
      // into the account's overall budget, so one address alone cannot lock the account for all.
      await consume(accountIp, `${accountKey}:${addressKey(ip)}`);
      try {
        await consume(account, accountKey);
      } catch (error) {
        await accountIp.reward(`${accountKey}:${addressKey(ip)}`, 1).catch(() => {});
        throw error;
      }
    },
    async loginSucceeded(email, ip) {
      if (!enabled) return;
      const accountKey = emailKey(email);
      await Promise.all([accountIp.delete(`${accountKey}:${addressKey(ip)}`), account.reward(accountKey, 1)]);
    },
    async reserveSecondFactorAttempt(email) {
      if (!enabled) return;
      await consume(account, emailKey(email));
    },
    async secondFactorSucceeded(email) {
      if (!enabled) return;
      await account.reward(emailKey(email), 1);
    },
    async consumeAccountAction(action, accountId) {
      if (!enabled) return;
      await consume(actions[action], emailKey(accountId));
    },
  };
}

/**
 * For routes: `await consumeAccountAction(ctx, 'password_forgot', email)` throws 429 over the limit.
 * Takes only what it uses, so this module does not import the context (which imports it).
 */
export function consumeAccountAction(ctx: { rateLimits: RateLimits }, action: AccountAction, account: string): Promise<void> {
  return ctx.rateLimits.consumeAccountAction(action, account);
}

function buildLimiter(keyPrefix: string, limit: Limit, redis: RedisHealth | undefined): RateLimiterAbstract {
  const options = { keyPrefix, points: limit.points, duration: Math.max(1, Math.ceil(limit.durationMs / 1000)) };
  // While Redis is unreachable or frozen each instance limits on its own rather than not at all (or stalling).
  if (redis) return sharedLimiter(options, redis);
  // Under node:cluster, workers share their counters through the primary (see cluster.ts).
  if (cluster.isWorker) return new RateLimiterCluster({ ...options, timeoutMs: 1_000 });
  return new RateLimiterMemory(options);
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext / 1000);
    throw error;
  }
}

const emailKey = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('base64url').slice(0, 32);

/**
 * The key for a client address. IPv4-mapped IPv6 counts as IPv4; a native IPv6 address counts
 * by its /64, since one host usually holds a whole /64 and could rotate through it for free.
 */
export function addressKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  return expandIpv6(ip).slice(0, 4).join(':') + '::/64';
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('%', 1)[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const middle = ip.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...middle, ...right].map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * Counters are namespaced per deployment, so that instances on one database share them (however
 * each one spells its DATABASE_URL) and unrelated deployments or test servers on one Redis never
 * do. The deployment is named by its first signing key, which is made once and never deleted.
 */
export async function deploymentNamespace(db: Db): Promise<string> {
  const [first] = await db.select({ kid: signingKeys.kid }).from(signingKeys).orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid)).limit(1);
  return createHash('sha256')
    .update(first?.kid ?? 'none')
    .digest('hex')
    .slice(0, 12);
}
