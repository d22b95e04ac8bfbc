import { and, asc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { mailMessages } from '../db/schema.js';
import { deriveKey } from '../services/secrets.js';
import { openMailBody } from './sealedBody.js';

/**
 * The background sender: delivers queued mail over SMTP_URL with nodemailer, retrying failures
 * with exponential backoff (MAIL_RETRY_BASE, doubling, at most 1 h apart) up to MAIL_MAX_ATTEMPTS.
 *
 * Messages are claimed with `for update skip locked` and their next attempt pushed forward in the
 * same statement, so several API instances never send one message twice, and a crash mid-send
 * only delays it until its retry time.
 */

export interface Mailer {
  /** Deliver what is due now, without waiting (called right after a message is queued). */
  kick(): void;
  /** Deliver what is due now and wait for it (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const BATCH = 10;
const MAX_BACKOFF_MS = 60 * 60_000;

export function createMailer(options: { db: Db; config: Config; logger: Logger }): Mailer {
  const { db, config, logger } = options;
  // The key enqueueMail sealed bodies with (ctx.keys.encryption): sealedBody.ts.
  const bodyKey = deriveKey(config.SECRET_KEY, 'encryption');
  if (!config.SMTP_URL) {
    if (config.isProduction) logger.warn('SMTP_URL is not set: mail (verification, password reset) is queued but not sent');
    return { kick() {}, flush: async () => {}, close: async () => {} };
  }

  const transport: Transporter = nodemailer.createTransport({
    url: config.SMTP_URL,
    // A dead or stalled server fails an attempt within seconds; the retry schedule does the rest.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } satisfies SMTPTransport.Options);

  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function claimDue() {
    const due = db
      .select({ id: mailMessages.id })
      .from(mailMessages)
      .where(and(isNull(mailMessages.sentAt), lte(mailMessages.nextAttemptAt, sql`now()`), lt(mailMessages.attempts, config.MAIL_MAX_ATTEMPTS)))
      .orderBy(asc(mailMessages.nextAttemptAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    return db
      .update(mailMessages)
      .set({
        attempts: sql`${mailMessages.attempts} + 1`,
        // SET sees the old `attempts`: the first retry waits MAIL_RETRY_BASE, then twice as long each time.
        nextAttemptAt: sql`now() + least(${config.MAIL_RETRY_BASE}::double precision * power(2, ${mailMessages.attempts}), ${MAX_BACKOFF_MS}) * interval '1 millisecond'`,
      })
      .where(inArray(mailMessages.id, due))
      .returning();
  }

  async function deliver(message: typeof mailMessages.$inferSelect) {
    let text: string, html: string;
    try {
      text = openMailBody(bodyKey, message.text);
      html = openMailBody(bodyKey, message.html);
    } catch (error) {
      // Sealed under another SECRET_KEY: no retry can send it. Given up at once, and said so.
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ mailId: message.id, err: { message: reason } }, 'mail send failed: giving up');
      await db.update(mailMessages).set({ lastError: reason, attempts: config.MAIL_MAX_ATTEMPTS }).where(eq(mailMessages.id, message.id));
      return;
    }
    try {
      await transport.sendMail({ from: config.MAIL_FROM, to: message.to, subject: message.subject, text, html });
      // Once delivered, the body (which may hold a reset link) is not kept, in development too:
      // with an SMTP server there is no dev outbox to read it from (services/mail.ts).
      await db.update(mailMessages).set({ sentAt: new Date(), lastError: null, text: '', html: '' }).where(eq(mailMessages.id, message.id));
      logger.info({ mailId: message.id }, 'mail sent');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const final = message.attempts >= config.MAIL_MAX_ATTEMPTS;
      logger.warn(
        { mailId: message.id, attempt: message.attempts, err: { message: reason } },
        final ? 'mail send failed: giving up' : 'mail send failed: will retry',
      );
      await db
        .update(mailMessages)
        .set({ lastError: reason.slice(0, 500) })
        .where(eq(mailMessages.id, message.id));
    }
  }

  async function drain() {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const batch = await claimDue();
        if (batch.length === 0) break;
        await Promise.all(batch.map(deliver));
      }
    } while (again && !closed);
  }

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = drain()
      .catch((error) => logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'mail queue unavailable: will retry'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  // Picks up retries and messages left by a previous run or another instance.
  const timer = setInterval(() => void run(), Math.min(config.MAIL_RETRY_BASE, 15_000));
  timer.unref();
  setImmediate(() => void run());

  return {
    kick: () => void run(),
    flush: () => run(),
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}
