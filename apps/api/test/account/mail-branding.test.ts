// APP_NAME, APP_LOGO_URL and APP_ACCENT_COLOR: every mail carries the team's own name, logo and
// colour instead of "Portcullis".
import { describe, expect } from 'vitest';
import { registerUser, request } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest({ APP_NAME: 'Acme ID', APP_LOGO_URL: 'https://cdn.example.com/acme.png', APP_ACCENT_COLOR: '#0f766e' });

describe('mail branding', () => {
  test.beforeAll(startApi);

  test('the reset mail names the product, shows its logo and uses its colour; "Portcullis" appears nowhere', async ({ server }) => {
    const person = await registerUser(server.url);
    expect((await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: person.email } })).status).toBe(202);
    await expect.poll(async () => (await storedMail(server, person.email)).some((m) => /reset/i.test(m.subject))).toBe(true);
    const mails = await storedMail(server, person.email);
    const reset = mails.find((m) => /reset/i.test(m.subject))!;
    expect(reset.text).toContain('your Acme ID account');
    expect(reset.text).toContain('— Acme ID');
    expect(reset.html).toContain('<img src="https://cdn.example.com/acme.png" alt="Acme ID"');
    expect(reset.html).toContain('background:#0f766e');
    for (const mail of mails) expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain('Portcullis');
  });
});
