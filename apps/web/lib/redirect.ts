/**
 * Where to send someone after sign-in: the `redirect` target only when it is a path on this
 * site, otherwise the dashboard. This is the guard against open redirects (a phishing link
 * `/login?redirect=https://evil.example` must not bounce a fresh session to another site).
 *
 * Accepted: a single leading `/` followed by anything that stays on this origin once a browser
 * has parsed it. Refused: protocol-relative `//host`, `/\host` (browsers treat `\` as `/`),
 * schemes (`https:`, `javascript:`), control characters and whitespace that browsers strip
 * (`/\t/evil`), and any of these percent-encoded once or twice (`%2F%2Fevil`).
 */
export const DEFAULT_AFTER_LOGIN = '/dashboard';

const BASE = 'http://portcullis.invalid';

export function safeRedirect(target: unknown, fallback: string = DEFAULT_AFTER_LOGIN): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback;
  if (!isSafeRelativePath(target)) return fallback;
  // Decoded forms must be safe too: a target may be decoded again by whoever uses it next.
  let decoded = target;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback; // malformed escapes: not something our own links produce
    }
    if (next === decoded) break;
    if (!isSafeRelativePath(next)) return fallback;
    decoded = next;
  }
  // Finally let the URL parser have its say: the result must still be on our origin.
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return url.pathname + url.search + url.hash;
}

function isSafeRelativePath(path: string): boolean {
  if (!path.startsWith('/')) return false; // relative paths and schemes (`javascript:`)
  if (path.startsWith('//') || path.startsWith('/\\')) return false; // protocol-relative
  // Control characters and whitespace: browsers drop tabs and newlines inside URLs, so
  // `/\t/evil.example` would become `//evil.example`.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(path)) return false;
  if (path.includes('\\')) return false; // `\` is `/` to a browser; nothing of ours uses it
  return true;
}

/** `/login?redirect=<path>` for the page a person was on, when that path is worth coming back to. */
export function loginUrlFor(path: string): string {
  const target = safeRedirect(path, '');
  if (target === '' || target === '/' || target.startsWith('/login')) return '/login';
  return `/login?redirect=${encodeURIComponent(target)}`;
}
