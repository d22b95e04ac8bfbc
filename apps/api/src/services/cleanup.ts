import { and, gte, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import {
  auditEvents,
  emailSignInCodes,
  mailMessages,
  mfaChallenges,
  oneTimeTokens,
  refreshTokens,
  revocations,
  sessions,
  usedTokens,
  webauthnChallenges,
} from '../db/schema.js';
import { deleteOldDeliveries } from './webhooks/retention.js';

/**
 * The background job that deletes what can no longer be used: dead sessions (with their refresh
 * tokens), expired refresh tokens, used or expired one-time tokens and MFA challenges, expired single-use markers, mail that
 * was delivered or given up on (its links have expired by then; the dev outbox keeps a day), and
 * revocations that outlived the access tokens they refused, and finished webhook deliveries past
 * WEBHOOK_LOG_RETENTION. The audit log is kept (for AUDIT_RETENTION when that is set). One instance runs it at a time, under an advisory lock.
 */

/** Dead rows stay this long first, so a just-ended session still shows why it ended. */
export const DEAD_ROW_RETENTION_MS = 24 * 60 * 60_000;
const CLEANUP_LOCK_ID = 7_117_003;

export interface CleanupReport {
  ran: boolean;
  sessions: number;
  refreshTokens: number;
  oneTimeTokens: number;
  mfaChallenges: number;
  /** WebAuthn challenges and email sign-in codes: a few minutes of use, then nothing to keep. */
  passwordlessChallenges: number;
  usedTokens: number;
  revocations: number;
  mailMessages: number;
  auditEvents: number;
  /** Delivered or given-up webhook deliveries older than WEBHOOK_LOG_RETENTION. */
  webhookDeliveries: number;
}

type CleanupConfig = Pick<Config, 'AUDIT_RETENTION' | 'MAIL_MAX_ATTEMPTS' | 'WEBHOOK_LOG_RETENTION'>;

export async function runCleanup(db: Db, config: CleanupConfig, now = new Date()): Promise<CleanupReport> {
  const report = await cleanupInOneTransaction(db, config, now);
  // The delivery log can be large: trimmed in short transactions of its own (a bounded batch each),
  // after the rest, and only by the instance that took the lock this round.
  if (!report.ran) return report;
  const webhookDeliveries = await deleteOldDeliveries(db, new Date(now.getTime() - config.WEBHOOK_LOG_RETENTION));
  return { ...report, webhookDeliveries };
}

async function cleanupInOneTransaction(db: Db, config: CleanupConfig, now: Date): Promise<CleanupReport> {
  const deadBefore = new Date(now.getTime() - DEAD_ROW_RETENTION_MS);
  return db.transaction(async (tx) => {
    // Another instance is at it: skip this round rather than wait or do the work twice.
    const lock = await tx.execute(sql`select pg_try_advisory_xact_lock(${CLEANUP_LOCK_ID}) as locked`);
    const locked = (lock as unknown as { rows: { locked: boolean }[] }).rows[0]?.locked;
    if (!locked)
      return {
        ran: false,
        sessions: 0,
        refreshTokens: 0,
        oneTimeTokens: 0,
        mfaChallenges: 0,
        passwordlessChallenges: 0,
        usedTokens: 0,
        revocations: 0,
        mailMessages: 0,
        auditEvents: 0,
        webhookDeliveries: 0,
      };

    const count = (rows: unknown[]) => rows.length;
    const deadSessions = await tx
      .delete(sessions)
      .where(or(lt(sessions.expiresAt, deadBefore), lt(sessions.absoluteExpiresAt, deadBefore), lt(sessions.revokedAt, deadBefore)))
      .returning({ id: sessions.id });
    // Rotated tokens of live sessions stay until they expire: they are what reveals a replay.
    const expiredTokens = await tx.delete(refreshTokens).where(lt(refreshTokens.expiresAt, deadBefore)).returning({ id: refreshTokens.id });
    const oneTime = await tx
      .delete(oneTimeTokens)
      .where(or(lt(oneTimeTokens.expiresAt, deadBefore), and(isNotNull(oneTimeTokens.usedAt), lt(oneTimeTokens.usedAt, deadBefore))))
      .returning({ id: oneTimeTokens.id });
    const challenges = await tx
      .delete(mfaChallenges)
      .where(or(lt(mfaChallenges.expiresAt, deadBefore), and(isNotNull(mfaChallenges.usedAt), lt(mfaChallenges.usedAt, deadBefore))))
      .returning({ id: mfaChallenges.id });
    const webauthn = await tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now)).returning({ id: webauthnChallenges.id });
    const emailCodes = await tx.delete(emailSignInCodes).where(lt(emailSignInCodes.expiresAt, now)).returning({ id: emailSignInCodes.id });
    // A single-use marker matters only while what it marks could still be presented.
    const usedMarkers = await tx.delete(usedTokens).where(lt(usedTokens.expiresAt, now)).returning({ hash: usedTokens.tokenHash });
    // A revocation matters only while the tokens it refuses could still be presented.
    const oldRevocations = await tx.delete(revocations).where(lt(revocations.expiresAt, now)).returning({ id: revocations.id });
    const oldMail = await tx
      .delete(mailMessages)
      .where(
        or(
          lt(mailMessages.sentAt, deadBefore),
          and(isNull(mailMessages.sentAt), gte(mailMessages.attempts, config.MAIL_MAX_ATTEMPTS), lt(mailMessages.createdAt, deadBefore)),
        ),
      )
      .returning({ id: mailMessages.id });
    const audit =
      config.AUDIT_RETENTION === null
        ? []
        : await tx
            .delete(auditEvents)
            .where(lt(auditEvents.createdAt, new Date(now.getTime() - config.AUDIT_RETENTION)))
            .returning({ id: auditEvents.id });

    return {
      ran: true,
      sessions: count(deadSessions),
      refreshTokens: count(expiredTokens),
      oneTimeTokens: count(oneTime),
      mfaChallenges: count(challenges),
      passwordlessChallenges: count(webauthn) + count(emailCodes),
      usedTokens: count(usedMarkers),
      revocations: count(oldRevocations),
      mailMessages: count(oldMail),
      auditEvents: count(audit),
      webhookDeliveries: 0,
    };
  });
}

/** Runs the cleanup soon after start and then every CLEANUP_INTERVAL; returns the stop function. */
export function startCleanupJob(db: Db, config: CleanupConfig & Pick<Config, 'CLEANUP_INTERVAL'>, logger: Logger): () => void {
  const run = () =>
    runCleanup(db, config)
      .then((report) => {
        if (report.ran) logger.debug({ cleanup: report }, 'cleanup finished');
      })
      .catch((err) => logger.warn({ err: { message: err.message } }, 'cleanup failed'));
  const first = setTimeout(() => void run(), Math.min(30_000, config.CLEANUP_INTERVAL));
  const every = setInterval(() => void run(), config.CLEANUP_INTERVAL);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
