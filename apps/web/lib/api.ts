// JSON calls to the API with the signed-in user's token, for the pages the SDK has no typed
// method for (projects, admin). Failures become the SDK's AuthError, so forms can use
// formErrorsFrom like everywhere else.
import { AuthError, type AuthClient } from '@portcullis/sdk';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export async function apiJson<T = void>(client: AuthClient, method: Method, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await client.fetch(path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (cause) {
    if (cause instanceof AuthError) throw cause;
    throw new AuthError({ status: 0, code: 'NETWORK_ERROR', message: 'Network error', cause });
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; details?: { field: string; message: string }[] }; requestId?: string } | undefined) ?? {};
  throw new AuthError({
    status: res.status,
    code: error.error?.code ?? (res.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'),
    message: error.error?.message ?? 'Something went wrong. Please try again.',
    details: error.error?.details ?? [],
    requestId: error.requestId,
  });
}

/** `?a=1&b=2` from the values that are set. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
