/**
 * Where to send someone after sign-in: the `redirect` target only when it is a path on this
 * site, otherwise the dashboard. This is the guard against open redirects (a phishing link
 * `/login?redirect=https://evil.example` must not bounce a fresh session to another site).
 *
 * Accepted: a single leading `/` followed by anything that stays on this origin once a browser
 * has parsed it. Refused: protocol-relative `//host`, `/\host` (browsers treat `\` as `/`),
 * schemes (`https:`, `javascript:`), control characters and whitespace that browsers strip
 * (`/\t/evil`), and any of these percent-encoded once or twice (`%2F%2Fevil`).
 *
 * The URL parser normalises dot segments, and that can MAKE a protocol-relative path:
 * `/.//evil.example`, `/..//evil`, `/x/..//evil` and `/%2e//evil` all become `//evil.example`.
 * So the normalised form is checked again, and again, until it no longer changes (see
 * `normalisedPath`); what is returned is exactly that stable form.
 */
export const DEFAULT_AFTER_LOGIN = '/dashboard';

const BASE = 'http://portcullis.invalid';
/** Each round removes dot segments; a path still changing after this many is not one of ours. */
const MAX_ROUNDS = 4;
/** Percent-decoding rounds whose results must be safe too (`%252F` is `/` after two). */
const MAX_DECODES = 3;

export function safeRedirect(target: unknown, fallback: string = DEFAULT_AFTER_LOGIN): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback;
  const path = normalisedPath(target);
  if (path === undefined) return fallback;
  // Decoded forms must be safe too: a target may be decoded again by whoever uses it next
  // (`/a/..%2f%2fevil` is harmless as it stands, `//evil` once decoded and normalised).
  let decoded = target;
  for (let i = 0; i < MAX_DECODES; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback; // malformed escapes: not something our own links produce
    }
    if (next === decoded) break;
    if (normalisedPath(next) === undefined) return fallback;
    decoded = next;
  }
  return path;
}

/**
 * The path as a browser on this origin would resolve it (`pathname + search + hash`), provided
 * every intermediate form is a single-slash relative path and the result stays on the origin;
 * otherwise undefined. Loops until the form is stable, so the returned path re-parses to itself.
 */
function normalisedPath(target: string): string | undefined {
  let path = target;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (!isSafeRelativePath(path)) return undefined;
    let url: URL;
    try {
      url = new URL(path, BASE);
    } catch {
      return undefined;
    }
    if (url.origin !== BASE) return undefined;
    const next = url.pathname + url.search + url.hash;
    if (next === path) return path;
    path = next;
  }
  return undefined;
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
export function loginUrlFor(path: string, reason?: string): string {
  const target = safeRedirect(path, '');
  const why = reason ? `reason=${encodeURIComponent(reason)}` : '';
  if (target === '' || target === '/' || target.startsWith('/login')) return why ? `/login?${why}` : '/login';
  return `/login?redirect=${encodeURIComponent(target)}${why ? `&${why}` : ''}`;
}
