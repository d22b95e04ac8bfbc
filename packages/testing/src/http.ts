/** Small helpers for talking to a test server over real HTTP. */

export const STRONG_PASSWORD = 'Correct-Horse-9';

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** Each Set-Cookie header, whole. */
  cookies: string[];
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, cookies: res.headers.getSetCookie() };
}

/** The value of a cookie from Set-Cookie headers. */
export function cookieValue(cookies: string[], name: string): string | undefined {
  for (const c of cookies) {
    const [pair] = c.split(';');
    const [k, ...v] = pair!.split('=');
    if (k!.trim() === name) return v.join('=');
  }
  return undefined;
}

export async function registerUser(
  baseUrl: string,
  overrides: Partial<{ email: string; password: string; displayName: string }> = {},
  headers: Record<string, string> = {},
) {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? STRONG_PASSWORD;
  const res = await request(baseUrl, 'POST', '/api/auth/register', { body: { email, password, displayName: overrides.displayName ?? 'Test User' }, headers });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    email,
    password,
    user: res.body.user,
    accessToken: res.body.accessToken as string,
    refreshToken: (res.body.refreshToken as string | undefined) ?? cookieValue(res.cookies, 'refresh_token')!,
    cookies: res.cookies,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
