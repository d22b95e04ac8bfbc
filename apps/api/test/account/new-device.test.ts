// A mail when an account is signed in from a device it had not been used from before.
import { describe, expect } from 'vitest';
import { registerUser, request } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest({ WEB_URL: 'http://web.test' });

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

const login = (server: TestServer, person: { email: string; password: string }, userAgent: string) =>
  request(server.url, 'POST', '/api/auth/login', { body: { email: person.email, password: person.password }, headers: { 'user-agent': userAgent } });

const newDeviceMails = async (server: TestServer, email: string) => (await storedMail(server, email)).filter((m) => m.subject.startsWith('New sign-in'));

describe('new-device sign-in mail', () => {
  test.beforeAll(startApi);

  test('a sign-in from an unseen device is mailed (device, approximate time, sessions link); a known device is not', async ({ server }) => {
    const person = await registerUser(server.url, {}, { 'user-agent': FIREFOX_LINUX });
    expect((await login(server, person, FIREFOX_LINUX)).status).toBe(200);
    expect(await newDeviceMails(server, person.email)).toEqual([]);

    expect((await login(server, person, CHROME_WINDOWS)).status).toBe(200);
    const [mail, ...more] = await newDeviceMails(server, person.email);
    expect(more).toEqual([]);
    expect(mail!.text).toContain('Chrome on Windows');
    expect(mail!.text).toMatch(/around \d{1,2} \w+ \d{4}(,| at)? \d{2}:00 UTC/);
    expect(mail!.text).toContain('http://web.test/settings/security');

    expect((await login(server, person, CHROME_WINDOWS)).status).toBe(200);
    expect(await newDeviceMails(server, person.email)).toHaveLength(1);
  });

  test('the sign-up itself is not a new device', async ({ server }) => {
    const person = await registerUser(server.url, {}, { 'user-agent': CHROME_WINDOWS });
    expect(await newDeviceMails(server, person.email)).toEqual([]);
  });
});
