import { openMailBody } from '@portcullis/api/src/mail/sealedBody.js';
import type { TestServer } from './server.js';

/** A row of mail_messages with its bodies opened. */
export interface StoredMail {
  subject: string;
  text: string;
  html: string;
  sentAt: string | null;
}

/**
 * The mail queued for `to`, oldest first. Bodies are sealed at rest (mail/sealedBody.ts), so a
 * test reads them through the server's key rather than with SQL `like`.
 */
export async function storedMail(server: Pick<TestServer, 'query' | 'ctx'>, to: string): Promise<StoredMail[]> {
  const rows = await server.query<{ subject: string; text: string; html: string; sent_at: Date | string | null }>(
    `select subject, text, html, sent_at from mail_messages where "to" = '${to.replace(/'/g, "''")}' order by created_at, id`,
  );
  const key = server.ctx.keys.encryption;
  return rows.map((r) => ({
    subject: r.subject,
    text: openMailBody(key, r.text),
    html: openMailBody(key, r.html),
    sentAt: r.sent_at === null ? null : String(r.sent_at),
  }));
}
