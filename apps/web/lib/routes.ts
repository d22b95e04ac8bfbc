/**
 * Pages that need a live session. proxy.ts redirects a request for any of them (and anything
 * below them) to `/login?redirect=...` before rendering. Add new signed-in sections here.
 */
export const PROTECTED_PREFIXES = ['/dashboard', '/settings', '/projects', '/admin'] as const;

/** Pages for signed-out people only: a signed-in visitor goes on to the redirect target. */
export const GUEST_ONLY = ['/login', '/register'] as const;

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

export function isProtectedPath(path: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => under(path, prefix));
}

export function isGuestOnlyPath(path: string): boolean {
  return GUEST_ONLY.some((prefix) => under(path, prefix));
}
