// A proxy.ts (Next 16; middleware.ts before) that protects pages by path and permission:
//
//   // proxy.ts
//   import { createProxy } from '@portcullis/nextjs/proxy';
//   export const proxy = createProxy({ rules: [{ path: '/dashboard' }, { path: '/admin', permission: 'manage_users' }] });
//
// Display and navigation only: the API enforces every permission on its own routes.
import { hasPermission, type Permission } from '@portcullis/sdk';
import { NextResponse, type NextRequest } from 'next/server';
import { checkSession, SESSION_COOKIE, type PortcullisSession, type SessionCheck, type SessionEndedReason, type SessionOptions } from './session';

export interface ProtectRule {
  /** A path protects itself and everything below it (`/admin` covers `/admin/users`, not `/administrator`); a RegExp is tested against the pathname. */
  path: string | RegExp;
  /** The user's role must hold this permission; omitted: any signed-in user. */
  permission?: Permission;
}

/** What the proxy learned about a request, for the hooks below. */
export interface ProxyContext {
  /** The session check; null when none was needed (an unprotected path without `checkEveryPath`). */
  check: SessionCheck | null;
  /** The protecting rule, if any. */
  rule: ProtectRule | undefined;
}

export interface ProxyOptions extends SessionOptions {
  rules: ProtectRule[];
  /** Where a signed-out visitor goes, with `?redirect=<path>` back (and `&reason=` when the API says why the session ended). Default `/login`. */
  signInPath?: string;
  /** Replaces the sign-in URL built from `signInPath`: `path` is the pathname and search asked for. */
  signInUrl?: (path: string, ended: SessionEndedReason | undefined) => string;
  /** Pages for signed-out visitors only (sign-in, sign-up): a signed-in visitor is redirected to `afterSignIn`. */
  guestOnly?: (string | RegExp)[];
  /** Where `guestOnly` sends a signed-in visitor (default `/`); a function may honour a checked `?redirect=`. */
  afterSignIn?: string | ((request: NextRequest) => string);
  /** Ask the API on every path the proxy runs for, so `allow` can hand the answer to Server Components. */
  checkEveryPath?: boolean;
  /** The answer for a request that may go on; default `NextResponse.next()`. Protected or signed-in answers get `Cache-Control: no-store` afterwards. */
  allow?: (request: NextRequest, context: ProxyContext) => NextResponse;
  /** The answer for a signed-in user without the rule's permission; default a plain 403. */
  forbidden?: (request: NextRequest, session: PortcullisSession, context: ProxyContext) => NextResponse;
  /** The answer when the API did not say (down, timeout) on a protected path; default a plain 503. */
  unavailable?: (request: NextRequest) => NextResponse;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
const matches = (pattern: string | RegExp, pathname: string) => (typeof pattern === 'string' ? under(pathname, pattern) : pattern.test(pathname));

/** The first rule that covers `pathname`, if any. */
export function matchRule(rules: readonly ProtectRule[], pathname: string): ProtectRule | undefined {
  return rules.find((rule) => matches(rule.path, pathname));
}

export function createProxy(options: ProxyOptions): (request: NextRequest) => Promise<NextResponse> {
  const signInPath = options.signInPath ?? '/login';
  const signInUrl =
    options.signInUrl ??
    ((path: string, ended: SessionEndedReason | undefined) => {
      const query = new URLSearchParams({ redirect: path });
      if (ended) query.set('reason', ended);
      return `${signInPath}?${query.toString()}`;
    });
  const allow = options.allow ?? (() => NextResponse.next());
  return async (request) => {
    const { pathname, search } = request.nextUrl;
    const rule = matchRule(options.rules, pathname);
    const guestOnly = options.guestOnly?.some((pattern) => matches(pattern, pathname)) ?? false;
    if (!rule && !guestOnly && !options.checkEveryPath) return allow(request, { check: null, rule });
    const check = await checkSession(request.cookies.get(SESSION_COOKIE)?.value, options);
    const context: ProxyContext = { check, rule };
    if (rule && check.kind === 'unavailable') {
      return noStore(
        options.unavailable?.(request) ??
          new NextResponse('The session could not be checked; try again in a moment.', { status: 503, headers: { 'retry-after': '5' } }),
      );
    }
    if (rule && check.kind === 'signed-out') return noStore(NextResponse.redirect(new URL(signInUrl(pathname + search, check.ended), request.url)));
    if (guestOnly && check.kind === 'signed-in') {
      const target = typeof options.afterSignIn === 'function' ? options.afterSignIn(request) : (options.afterSignIn ?? '/');
      return noStore(NextResponse.redirect(new URL(target, request.url)));
    }
    if (rule?.permission && check.kind === 'signed-in' && !hasPermission(check.session.user.role, rule.permission)) {
      return noStore(options.forbidden?.(request, check.session, context) ?? new NextResponse('Forbidden', { status: 403 }));
    }
    const response = allow(request, context);
    // Signed-in HTML must never be stored or replayed from a cache (back button after sign-out).
    return rule || check.kind === 'signed-in' ? noStore(response) : response;
  };
}

function noStore(response: NextResponse): NextResponse {
  response.headers.set('cache-control', 'no-store, max-age=0');
  return response;
}
