/** The signed-in state the bench needs, made through the API's own public endpoints. */
import { randomBytes } from 'node:crypto';

export const PASSWORD = 'Bench-Password-42-x';

export interface Account {
  email: string;
  accessToken: string;
  /** `portcullis_session=<signed value>`, as the web app's server forwards it. */
  sessionCookie: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

export async function createAccount(api: string): Promise<Account> {
  const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
  await post(`${api}/api/auth/register`, { email, password: PASSWORD, displayName: 'Bench' }, { 'x-token-transport': 'body' });
  const res = await post(`${api}/api/auth/login`, { email, password: PASSWORD });
  const { accessToken } = (await res.json()) as { accessToken: string };
  const sessionCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('portcullis_session='));
  if (!sessionCookie) throw new Error('login set no session cookie');
  return { email, accessToken, sessionCookie };
}

/** `count` fresh sessions of the account, each with its refresh token (body transport). */
export async function refreshTokens(api: string, email: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await post(`${api}/api/auth/login`, { email, password: PASSWORD }, { 'x-token-transport': 'body' });
    tokens.push(((await res.json()) as { refreshToken: string }).refreshToken);
  }
  return tokens;
}
