// Low-level request helpers shared by the client: URL joining, network-error mapping, JSON reading.
import { AuthError, errorFromResponse, networkError } from '#sdk/errors';
import type { FetchLike } from '#sdk/types';

/**
 * Joins a path onto baseUrl. Absolute URLs are refused on purpose: the client attaches the
 * bearer token, and it must never travel to an origin other than the API's.
 */
export function joinUrl(baseUrl: string, path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new TypeError(`Expected a path starting with "/" relative to baseUrl, got "${path}"`);
  }
  return baseUrl.replace(/\/+$/, '') + path;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/** fetch, with `credentials: 'include'` so the refresh cookie travels, and failures as AuthError. */
export async function send(fetchFn: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, credentials: 'include' });
  } catch (err) {
    // A caller's own abort is not a network failure: give it back unchanged.
    if (isAbort(err)) throw err;
    throw networkError(err);
  }
}

/** The JSON body of a 2xx response (undefined for 204), or throws the response's AuthError. */
export async function readJson<T>(res: Response): Promise<T> {
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new AuthError({ status: res.status, code: 'INVALID_RESPONSE', message: 'The API answered with malformed JSON', cause });
  }
}

/** Options for a JSON POST; every POST carries a JSON body, `{}` when it has nothing to say. */
export function jsonPost(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body ?? {}),
  };
}

/** 401 codes that mean "your bearer token is missing, expired or no good": worth one refresh. */
const TOKEN_REJECTIONS = new Set(['UNAUTHENTICATED', 'INVALID_TOKEN', 'TOKEN_EXPIRED']);

/**
 * Whether a 401 is about the access token. Decided from the body's code, because browsers hide
 * `WWW-Authenticate` from cross-origin scripts unless the API exposes it; a 401 without the
 * contract's body is assumed to be about the token.
 */
export async function isTokenRejection(res: Response): Promise<boolean> {
  try {
    const body = (await res.clone().json()) as { error?: { code?: unknown } } | null;
    const code = body?.error?.code;
    if (typeof code === 'string') return TOKEN_REJECTIONS.has(code);
  } catch {
    // not JSON: fall through
  }
  return true;
}
