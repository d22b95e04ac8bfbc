// Mail in the e2e stack: with no SMTP_URL the API writes every message to its dev outbox, read
// here through the web origin as a developer would.
import { expect } from 'vitest';

export type MailedPath = '/verify-email' | '/reset-password' | '/confirm-email-change';

/** The newest link to `path` mailed to `email` (waiting for it), other than `previous`. */
export async function mailedLink(webUrl: string, email: string, path: MailedPath, previous?: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const { messages } = (await (await fetch(`${webUrl}/api/dev/outbox`)).json()) as { messages: { to: string; text: string }[] };
        const found = messages.find((m) => m.to === email && m.text.includes(path));
        link = found?.text.match(new RegExp(`https?://\\S+${path}\\?token=[A-Za-z0-9_-]+`))?.[0];
        return link !== undefined && link !== previous;
      },
      { timeout: 5_000 },
    )
    .toBe(true);
  return link!;
}
