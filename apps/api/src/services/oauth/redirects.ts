/**
 * The `redirect` a sign-in returns to. Only a relative path on the web app is honoured; anything
 * else (absolute URLs, protocol-relative `//host`, backslash tricks, control characters) falls back
 * to the dashboard, so the login flow can never be used as an open redirect.
 */

export const DEFAULT_REDIRECT = '/dashboard';
const MAX_LENGTH = 2048;

export function safeRedirectPath(value: unknown, webUrl: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return DEFAULT_REDIRECT;
  // Browsers read `\` as `/` in URLs, so `/\evil.example` would be protocol-relative.
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return DEFAULT_REDIRECT;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) return DEFAULT_REDIRECT;
  let resolved: URL;
  try {
    resolved = new URL(value, webUrl);
  } catch {
    return DEFAULT_REDIRECT;
  }
  if (resolved.origin !== new URL(webUrl).origin) return DEFAULT_REDIRECT;
  return resolved.pathname + resolved.search + resolved.hash;
}
