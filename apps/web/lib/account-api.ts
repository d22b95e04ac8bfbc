// Calls for the account pages (verify email, forgot/reset password, MFA) that the SDK has no
// method for: same-origin JSON POSTs whose failures become the SDK's AuthError, so forms can
// use formErrorsFrom like everywhere else.
import { AuthError, type AuthClient } from '@portcullis/sdk';

async function toError(res: Response): Promise<AuthError> {
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: { field: string; message: string }[] }; requestId?: string } | undefined;
  const retryAfter = Number(res.headers.get('retry-after'));
  return new AuthError({
    status: res.status,
    code: body?.error?.code ?? (res.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'),
    message: body?.error?.message ?? 'Something went wrong. Please try again.',
    details: body?.error?.details ?? [],
    requestId: body?.requestId,
    retryAfterSec: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

async function handle<T>(res: Response): Promise<T> {
  if (!res.ok) throw await toError(res);
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

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}
