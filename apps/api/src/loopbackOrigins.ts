/**
 * The web app on a developer's machine is reached as http://localhost:3000 (what the README says)
 * just as often as http://127.0.0.1:3000 or http://[::1]:3000: one server, but three origins to a
 * browser, and the Origin checks (CORS, the cookie endpoints' CSRF check) knew only WEB_URL's. A
 * person who opened 127.0.0.1 could sign up, then could not sign out.
 *
 * So outside production, when WEB_URL's host is itself a loopback name and its origin is allowed,
 * the other loopback spellings of that origin (same scheme and port) are allowed too. Nothing
 * else widens: not in production (there the list is exactly CORS_ORIGINS), not for a WEB_URL on a
 * real host name, not for other ports, and every spelling names this machine only.
 */

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

export function isLoopbackHostName(hostname: string): boolean {
  return (LOOPBACK_HOSTS as readonly string[]).includes(hostname.toLowerCase());
}

/** `origins` plus the loopback spellings of `webUrl`'s origin, when those rules allow them. */
export function withLoopbackSpellings(origins: string[], webUrl: string, isProduction: boolean): string[] {
  if (isProduction) return origins;
  const web = new URL(webUrl);
  if (!isLoopbackHostName(web.hostname) || !origins.includes(web.origin)) return origins;
  const spellings = LOOPBACK_HOSTS.map((host) => {
    const spelled = new URL(web.origin);
    spelled.hostname = host;
    return spelled.origin;
  });
  return [...new Set([...origins, ...spellings])];
}
