import { WEB_PAGES } from '@portcullis/contract/webPages';
/**
 * The `redirect` a sign-in returns to. Only a relative path on the web app is honoured; anything
 * else (absolute URLs, protocol-relative `//host`, backslash tricks, control characters) falls back
 * to the dashboard, so the login flow can never be used as an open redirect.
 *
 * Resolving removes dot segments, and that can MAKE a protocol-relative path: `/.//evil.example`,
 * `/..//evil`, `/x/..//evil` and `/%2e//evil` all resolve to the path `//evil.example`, which a
 * browser reads as another host. So the resolved form is checked again, until it is stable; what
 * is returned re-parses to itself and is a single-slash path on the web app. (The web app's
 * lib/redirect.ts applies the same rule to the same parameter.)
 */

export const DEFAULT_REDIRECT = WEB_PAGES.dashboard;
const MAX_LENGTH = 2048;
/** Each round removes dot segments; a path still changing after this many is not one of ours. */
const MAX_ROUNDS = 4;

export function safeRedirectPath(value: unknown, webUrl: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return DEFAULT_REDIRECT;
  const origin = new URL(webUrl).origin;
  let path = value;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (!isSingleSlashPath(path)) return DEFAULT_REDIRECT;
    let resolved: URL;
    try {
      resolved = new URL(path, origin);
    } catch {
      return DEFAULT_REDIRECT;
    }
    if (resolved.origin !== origin) return DEFAULT_REDIRECT;
    const normalised = resolved.pathname + resolved.search + resolved.hash;
    if (normalised === path) return path;
    path = normalised; // changed by resolving: check the new form before trusting it
  }
  return DEFAULT_REDIRECT;
}

function isSingleSlashPath(path: string): boolean {
  // Browsers read `\` as `/` in URLs, so `/\evil.example` would be protocol-relative.
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return false;
  // Browsers drop tabs and newlines inside URLs (`/\t/evil` is `//evil`): control characters,
  // spaces and Unicode line separators are refused outright.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return !/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(path);
}
