import { desc, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { onlyRow } from '../db/rows.js';
import type { Db } from '../db/client.js';
import { mailMessages } from '../db/schema.js';
import { openMailBody, sealMailBody } from '../mail/sealedBody.js';
import type { RenderedMail } from '../mail/templates/layout.js';
import { mailAfterCommit, type Tx } from './transaction.js';

/**
 * Outgoing mail is written to `mail_messages` inside the transaction of the change that causes
 * it (so a rolled-back change sends nothing), and delivered afterwards by the background sender
 * (mail/sender.ts): a slow or dead mail server never blocks or fails an HTTP request.
 */

/**
 * The development outbox (`GET /api/dev/outbox`, which lists this table) exists only outside
 * production and only when there is no SMTP server: then it is the one place mail goes. With
 * SMTP_URL set, mail goes to the mail server and nowhere else (the sender also drops a delivered
 * body), so a reset link can never be read back through the API.
 */
export function devOutboxEnabled(config: { isProduction: boolean; SMTP_URL?: string | undefined }): boolean {
  return !config.isProduction && !config.SMTP_URL;
}

export interface QueuedMail {
  id: string;
  to: string;
}

/** Inside the caller's transaction (services/transaction.ts), which wakes the sender once it commits. */
export async function enqueueMail(ctx: AppContext, tx: Tx, to: string, mail: RenderedMail, options: { link?: string } = {}): Promise<QueuedMail> {
  const row = onlyRow(
    await tx
      .insert(mailMessages)
      .values(mailRow(ctx, to, mail))
      .returning({ id: mailMessages.id }),
    'enqueueMail',
  );
  mailAfterCommit(tx);
  logQueuedMail(ctx, to, mail, options.link);
  return { id: row.id, to };
}

/**
 * The same message as a part of a larger statement that commits on its own (sessionStart.ts),
 * written only when `onlyIf` holds, returning its `id`. Whoever runs the statement wakes the
 * sender when a row came back (afterStatementCommitted, services/transaction.ts) and calls
 * `logQueuedMail`.
 */
export function mailInsert(ctx: AppContext, to: string, mail: RenderedMail, onlyIf: SQL): SQL {
  const row = mailRow(ctx, to, mail);
  return sql`
    insert into ${mailMessages} ("to", "subject", "text", "html", "sent_at")
    select ${row.to}::text, ${row.subject}::text, ${row.text}::text, ${row.html}::text, ${row.sentAt?.toISOString() ?? null}::timestamptz
    where ${onlyIf}
    returning id`;
}

function mailRow(ctx: AppContext, to: string, mail: RenderedMail) {
  return {
    to,
    subject: mail.subject,
    // Bodies are sealed at rest: they may carry a reset, verification or email-change link (mail/sealedBody.ts).
    text: sealMailBody(ctx.keys.encryption, mail.text),
    html: sealMailBody(ctx.keys.encryption, mail.html),
    // Without an SMTP server (development) the outbox is the only destination: the message is
    // delivered the moment it is written.
    sentAt: devOutboxEnabled(ctx.config) ? new Date() : null,
  };
}

/** The developer's log line for a queued message (outside production only). */
export function logQueuedMail(ctx: AppContext, to: string, mail: RenderedMail, link?: string): void {
  if (ctx.config.isProduction) return;
  // One line a developer can act on with no mail server; never logged in production (the link is a credential).
  ctx.logger.info(
    { mail: { to, subject: mail.subject, link } },
    devOutboxEnabled(ctx.config) ? 'mail written to the dev outbox (GET /api/dev/outbox, from this machine)' : 'mail queued for SMTP_URL',
  );
}

export interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string | null;
}

/** The development outbox, newest first, bodies opened with `key` (ctx.keys.encryption). Only ever routed when devOutboxEnabled. */
export async function listOutbox(db: Db, key: Buffer, limit = 50): Promise<OutboxMessage[]> {
  const rows = await db.select().from(mailMessages).orderBy(desc(mailMessages.createdAt), desc(mailMessages.id)).limit(limit);
  // One message sealed under an earlier SECRET_KEY must not hide the others.
  const open = (stored: string) => {
    try {
      return openMailBody(key, stored);
    } catch {
      return '(sealed under another SECRET_KEY)';
    }
  };
  return rows.map((m) => ({ to: m.to, subject: m.subject, text: open(m.text), html: open(m.html), sentAt: m.sentAt?.toISOString() ?? null }));
}
