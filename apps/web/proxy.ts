// Runs before every page render (not for /api or static files): decides, on the server, whether
// the request may see the page, and hands the checked user to server components.
import { NextResponse, type NextRequest } from 'next/server';
import { loginUrlFor, safeRedirect } from './lib/redirect';
import { isGuestOnlyPath, isProtectedPath } from './lib/routes';
import {
  ADMIN_MFA_MISSING_HEADER,
  adminMfaMissing,
  checkSession,
  encodeUserHeader,
  INTERNAL_HEADER_PREFIX,
  SESSION_COOKIE,
  SIGNED_OUT,
  USER_HEADER,
} from './lib/session-check';

export async function proxy(request: NextRequest) {
  const { pathname, search, searchParams } = request.nextUrl;

  // 1. Never trust a client-sent internal header: drop all of them before anything reads one.
  const forwarded = new Headers(request.headers);
  for (const name of [...forwarded.keys()]) {
    if (name.toLowerCase().startsWith(INTERNAL_HEADER_PREFIX)) forwarded.delete(name);
  }

  // 2. Ask the API about the session cookie (no cookie: no call).
  const state = await checkSession(request.cookies.get(SESSION_COOKIE)?.value);
  const isProtected = isProtectedPath(pathname);

  if (isProtected && state.kind === 'unavailable') return unavailable();
  if (isProtected && state.kind !== 'signed-in') {
    return noStore(NextResponse.redirect(new URL(loginUrlFor(pathname + search), request.url)));
  }
  if (isGuestOnlyPath(pathname) && state.kind === 'signed-in') {
    return noStore(NextResponse.redirect(new URL(safeRedirect(searchParams.get('redirect')), request.url)));
  }

  // 3. Hand the answer on; a fresh CSP nonce lets Next's own scripts run and nothing injected.
  forwarded.set(USER_HEADER, state.kind === 'signed-in' ? encodeUserHeader(state.user) : SIGNED_OUT);
  forwarded.set(ADMIN_MFA_MISSING_HEADER, adminMfaMissing(state) ? '1' : '0');
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  forwarded.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set('content-security-policy', csp);
  // Signed-in HTML must never be stored or replayed from a cache (back button after sign-out).
  if (isProtected || state.kind === 'signed-in') noStore(response);
  return response;
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by the nonced ones may run; no other script may.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function noStore(response: NextResponse): NextResponse {
  response.headers.set('cache-control', 'no-store, max-age=0');
  return response;
}

/** The API did not answer: say so rather than guess either way. */
function unavailable(): NextResponse {
  const html =
    '<!doctype html><meta charset="utf-8"><title>Temporarily unavailable</title>' +
    '<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">' +
    '<h1>Temporarily unavailable</h1><p>We could not check your session just now. Please try again in a moment.</p>';
  return new NextResponse(html, {
    status: 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' },
  });
}

export const config = {
  // Everything except the API proxy and static assets (those carry no session-dependent HTML).
  matcher: ['/((?!api/|\\.well-known/|_next/static/|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt).*)'],
};
