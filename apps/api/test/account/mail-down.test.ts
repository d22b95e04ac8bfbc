import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { startMailbox, type TestMailbox } from '@portcullis/testing/smtp';
import { freePort } from '@portcullis/testing/ports';

describe('a mail server that is down', () => {
  let server: TestServer;
  let mailbox: TestMailbox | undefined;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = await startServer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_RETRY_BASE: '1s' });
  });
  afterAll(async () => {
    await server.close();
    await mailbox?.close();
  });

  it('does not break or slow register; the message is retried and delivered once the server is up', async () => {
    const started = performance.now();
    const alice = await registerUser(server.url);
    expect(performance.now() - started).toBeLessThan(3_000);

    await expect
      .poll(
        async () =>
          (
            await server.query<{ last_error: string | null; attempts: string }>(`select last_error, attempts from mail_messages where "to" = '${alice.email}'`)
          )[0],
        { timeout: 5_000 },
      )
      .toMatchObject({ last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    const [queued] = await server.query<{ sent_at: string | null }>(`select sent_at from mail_messages where "to" = '${alice.email}'`);
    expect(queued!.sent_at).toBeNull();

    mailbox = await startMailbox(port);
    const mail = await mailbox.waitFor(alice.email, /verify/i, 10_000);
    expect(mail.text).toContain('/verify-email?token=');
    await expect
      .poll(async () => (await server.query<{ sent_at: string | null }>(`select sent_at from mail_messages where "to" = '${alice.email}'`))[0]!.sent_at, {
        timeout: 3_000,
      })
      .not.toBeNull();
  });
});
