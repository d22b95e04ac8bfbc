import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSealedMailBody } from '../../src/mail/sealedBody.js';
import { registerUser, request } from '@portcullis/testing/http';
import { freePort } from '@portcullis/testing/ports';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { linkToken, startMailbox, type TestMailbox } from '@portcullis/testing/smtp';

/**
 * A reset link waiting in mail_messages is a password: whoever reads the table (a backup, a
 * read-only SQL account, a leaked dump) could take the account. Bodies are sealed at rest under
 * SECRET_KEY, and still reach the mail server and the dev outbox as written.
 */

type RawRow = { subject: string; text: string; html: string };
const rawRows = (server: TestServer, to: string) =>
  server.query<RawRow>(`select subject, text, html from mail_messages where "to" = '${to}' order by created_at`);
const forgot = (server: TestServer, email: string) => request(server.url, 'POST', '/api/auth/password/forgot', { body: { email } });
const resetWith = (server: TestServer, token: string) =>
  request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: 'Brand-New-Passw0rd!' } });

function expectSealed(rows: RawRow[]) {
  for (const row of rows) {
    expect(isSealedMailBody(row.text)).toBe(true);
    expect(isSealedMailBody(row.html)).toBe(true);
    expect(`${row.text} ${row.html}`).not.toMatch(/token=|reset-password|verify-email/);
  }
}

describe('a reset link queued for the mail server', () => {
  let server: TestServer;
  let mailbox: TestMailbox | undefined;
  let port: number;
  beforeAll(async () => {
    // Nothing listens on the mail port yet: the messages wait in the queue, as they do when the mail server is slow or down.
    port = await freePort();
    server = await startServer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_RETRY_BASE: '1s' });
  });
  afterAll(async () => {
    await server.close();
    await mailbox?.close();
  });

  it('is not in the database in plain text, and still arrives over SMTP and works', async () => {
    const alice = await registerUser(server.url);
    expect((await forgot(server, alice.email)).status).toBe(202);
    await expect.poll(async () => (await rawRows(server, alice.email)).length, { timeout: 5_000 }).toBe(2);
    const pending = await rawRows(server, alice.email);
    expect(pending.map((r) => r.subject).join(' | ')).toMatch(/reset/i);
    expectSealed(pending);

    mailbox = await startMailbox(port);
    const mail = await mailbox.waitFor(alice.email, /reset/i, 15_000);
    const token = linkToken(mail.text!, '/reset-password');
    expect(mail.html).toContain(`reset-password?token=${token}`);
    expect(JSON.stringify(pending)).not.toContain(token);
    expect((await resetWith(server, token)).status).toBe(204);
    await mailbox.waitFor(alice.email, /verify/i, 15_000);
  });

  it('a message queued in plain text before bodies were sealed is still sent as written', async () => {
    mailbox ??= await startMailbox(port);
    await server.query(
      `insert into mail_messages ("to", subject, text, html) values ('legacy@example.com', 'Queued by an older version', 'Plain body', '<p>Plain body</p>')`,
    );
    await server.ctx.mailer.flush();
    const mail = await mailbox.waitFor('legacy@example.com', /older version/, 15_000);
    expect(mail.text?.trim()).toBe('Plain body');
  });
});

describe('a reset link in the development outbox', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('is sealed in the table and readable in GET /api/dev/outbox', async () => {
    const bob = await registerUser(server.url);
    expect((await forgot(server, bob.email)).status).toBe(202);
    const resetMail = async () => {
      const res = await request(server.url, 'GET', '/api/dev/outbox');
      return (res.body.messages as { to: string; subject: string; text: string }[]).find((m) => m.to === bob.email && /reset/i.test(m.subject));
    };
    await expect.poll(resetMail, { timeout: 5_000 }).toBeDefined();
    const token = linkToken((await resetMail())!.text, '/reset-password');
    const stored = await rawRows(server, bob.email);
    expectSealed(stored);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await resetWith(server, token)).status).toBe(204);
  });

  it('shows plain rows as they are, and one it cannot open without failing the others', async () => {
    await server.query(`insert into mail_messages ("to", subject, text, html, sent_at) values
      ('old@example.com', 'Plain', 'Plain body', '<p>Plain body</p>', now()),
      ('rotated@example.com', 'Other key', 'sealed:v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA', 'sealed:v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA', now())`);
    const res = await request(server.url, 'GET', '/api/dev/outbox');
    expect(res.status).toBe(200);
    const byTo = (to: string) => (res.body.messages as { to: string; text: string }[]).find((m) => m.to === to);
    expect(byTo('old@example.com')?.text).toBe('Plain body');
    expect(byTo('rotated@example.com')?.text).toMatch(/another SECRET_KEY/);
  });
});
