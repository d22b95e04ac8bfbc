// JSON calls to the API with the signed-in user's token, for the pages the SDK has no typed
// method for (projects, admin). Failures become the SDK's AuthError, so forms can use
// formErrorsFrom like everywhere else.
import { AuthError, errorFromResponse, type AuthClient } from '@portcullis/sdk';

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
  if (!res.ok) throw await errorFromResponse(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `?a=1&b=2` from the values that are set. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
