// Calls for the account pages (verify email, forgot/reset password, MFA) that the SDK has no
// method for: same-origin JSON POSTs whose failures become the SDK's AuthError, so forms can
// use formErrorsFrom like everywhere else.
import { AuthError, errorFromResponse, type AuthClient } from '@portcullis/sdk';

async function handle<T>(res: Response): Promise<T> {
  if (!res.ok) throw await errorFromResponse(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const jsonInit = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body ?? {}),
});

/** For endpoints without a bearer token (the token is in the body, never the URL). */
export async function postPublic<T = void>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...jsonInit(body), credentials: 'same-origin', cache: 'no-store' });
  } catch (cause) {
    throw new AuthError({ status: 0, code: 'NETWORK_ERROR', message: 'Network error', cause });
  }
  return handle<T>(res);
}

/** For endpoints that need the signed-in user's access token. */
export async function postAuthed<T = void>(client: AuthClient, path: string, body?: unknown): Promise<T> {
  return handle<T>(await client.fetch(path, jsonInit(body)));
}

/** The contract's answer to `POST /api/auth/mfa/totp/setup`. */
export type { TotpSetup } from '@portcullis/sdk';
