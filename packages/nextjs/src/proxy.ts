// A proxy.ts (Next 16; middleware.ts before) that protects pages by path and permission:
//
//   // proxy.ts
//   import { createProxy } from '@portcullis/nextjs/proxy';
//   export const proxy = createProxy({ rules: [{ path: '/dashboard' }, { path: '/admin', permission: 'manage_users' }] });
//
// Display and navigation only: the API enforces every permission on its own routes.
import { hasPermission, type Permission } from '@portcullis/sdk';
import { NextResponse, type NextRequest } from 'next/server';
import { checkSession, SESSION_COOKIE, type SessionOptions } from './session';

export interface ProtectRule {
  /** A path protects itself and everything below it (`/admin` covers `/admin/users`, not `/administrator`); a RegExp is tested against the pathname. */
  path: string | RegExp;
  /** The user's role must hold this permission; omitted: any signed-in user. */
  permission?: Permission;
}

export interface ProxyOptions extends SessionOptions {
  rules: ProtectRule[];
  /** Where a signed-out visitor goes, with `?redirect=<path>` back. Default `/login`. */
  signInPath?: string;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** The first rule that covers `pathname`, if any. */
export function matchRule(rules: readonly ProtectRule[], pathname: string): ProtectRule | undefined {
  return rules.find((rule) => (typeof rule.path === 'string' ? under(pathname, rule.path) : rule.path.test(pathname)));
}

export function createProxy(options: ProxyOptions): (request: NextRequest) => Promise<NextResponse> {
  const signInPath = options.signInPath ?? '/login';
  return async (request) => {
    const { pathname, search } = request.nextUrl;
    const rule = matchRule(options.rules, pathname);
    if (!rule) return NextResponse.next();
    const state = await checkSession(request.cookies.get(SESSION_COOKIE)?.value, options);
    if (state.kind === 'unavailable') {
      return noStore(new NextResponse('The session could not be checked; try again in a moment.', { status: 503, headers: { 'retry-after': '5' } }));
    }
    if (state.kind === 'signed-out') {
      const target = new URL(signInPath, request.url);
      target.searchParams.set('redirect', pathname + search);
      return noStore(NextResponse.redirect(target));
    }
    if (rule.permission && !hasPermission(state.session.user.role, rule.permission)) {
      return noStore(new NextResponse('Forbidden', { status: 403 }));
    }
    // Signed-in HTML must never be stored or replayed from a cache (back button after sign-out).
    return noStore(NextResponse.next());
  };
}

function noStore(response: NextResponse): NextResponse {
  response.headers.set('cache-control', 'no-store, max-age=0');
  return response;
}
