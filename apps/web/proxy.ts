// Runs before every page render (not for /api or static files): decides, on the server, whether
// the request may see the page, and hands the checked user to server components. The decisions
// (protected paths, guest-only pages, the session check) are @portcullis/nextjs's createProxy();
// what this app adds is the header hand-off, the CSP nonce and its own 503 page.
import { createProxy, type ProxyContext } from '@portcullis/nextjs/proxy';
import { NextResponse, type NextRequest } from 'next/server';
import { getBranding } from './lib/branding';
import { createTranslator, pickLocale } from './lib/i18n/core';
import { AVAILABLE_LOCALES, TRANSLATIONS } from './lib/i18n/locales';
import { loginUrlFor, safeRedirect } from './lib/redirect';
import { GUEST_ONLY, PROTECTED_PREFIXES } from './lib/routes';
import {
  ADMIN_MFA_MISSING_HEADER,
  adminMfaMissing,
  apiUrl,
  encodeUserHeader,
  INTERNAL_HEADER_PREFIX,
  sessionCheckTimeoutMs,
  SIGNED_OUT,
  USER_HEADER,
} from './lib/session-check';

const guard = createProxy({
  apiUrl: apiUrl(),
  timeoutMs: sessionCheckTimeoutMs(),
  // /admin also needs manage_users, but its pages answer a non-admin themselves (forbidden(): the
  // app's 403 page, which also explains a missing second factor), so the proxy lets them render.
  rules: PROTECTED_PREFIXES.map((path) => (path === '/admin' ? { path, permission: 'manage_users' as const } : { path })),
  // A session that ended (revoked, password changed elsewhere, …) is explained on the sign-in page.
  signInUrl: (path, ended) => loginUrlFor(path, ended),
  guestOnly: [...GUEST_ONLY],
  afterSignIn: (request) => safeRedirect(request.nextUrl.searchParams.get('redirect')),
  // Every page learns who is signed in (header, layout), not only the protected ones.
  checkEveryPath: true,
  allow: handOn,
  forbidden: (request, _session, context) => handOn(request, context),
  unavailable,
});

export const proxy = guard;

/** Hands the answer on in request headers; a fresh CSP nonce lets Next's own scripts run and nothing injected. */
function handOn(request: NextRequest, { check }: ProxyContext): NextResponse {
  // Never trust a client-sent internal header: drop all of them before setting ours.
  const forwarded = new Headers(request.headers);
  for (const name of [...forwarded.keys()]) {
    if (name.toLowerCase().startsWith(INTERNAL_HEADER_PREFIX)) forwarded.delete(name);
  }
  forwarded.set(USER_HEADER, check?.kind === 'signed-in' ? encodeUserHeader(check.session.user) : SIGNED_OUT);
  forwarded.set(ADMIN_MFA_MISSING_HEADER, adminMfaMissing(check) ? '1' : '0');
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  forwarded.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set('content-security-policy', csp);
  return response;
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by the nonced ones may run; no other script may.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${logoOrigin()}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** An https logo (APP_LOGO_URL) on another host must be allowed to load. */
function logoOrigin(): string {
  const { logoUrl } = getBranding();
  return logoUrl?.startsWith('https://') ? ` ${new URL(logoUrl).origin}` : '';
}

/**
 * The API did not answer: say so rather than guess either way. A whole page of its own (the app's
 * layout needs the API): a language, a main landmark, readable in both colour schemes, and a
 * retry that reloads the page asked for. Strings from the catalogue; no script (the CSP nonce is
 * not set on this answer).
 */
function unavailable(request: NextRequest): NextResponse {
  const { appName } = getBranding();
  const locale = pickLocale(request.headers.get('accept-language'), AVAILABLE_LOCALES);
  const t = createTranslator(TRANSLATIONS[locale] ?? {}, appName);
  const retry = escapeHtml(request.nextUrl.pathname + request.nextUrl.search);
  const html =
    `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(t('unavailable.title'))} · ${escapeHtml(appName)}</title>` +
    '<style>:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5;color:#171a26;background:#f6f7fb}' +
    'main{max-width:32rem;margin:4rem auto;padding:0 1.25rem}h1{font-size:1.6rem;margin:0 0 .75rem}' +
    'a.retry{display:inline-block;margin-top:1.25rem;padding:.55rem 1.1rem;border-radius:6px;background:#4f46e5;color:#fff;font-weight:600;text-decoration:none}' +
    'a.retry:focus-visible{outline:3px solid #6366f1;outline-offset:2px}' +
    '@media (prefers-color-scheme:dark){:root{color:#eceef5;background:#0e1018}a.retry{background:#7c83ff;color:#0e1018}}</style></head>' +
    `<body><main><h1>${escapeHtml(t('unavailable.title'))}</h1><p>${escapeHtml(t('unavailable.body'))}</p>` +
    `<a class="retry" href="${retry}">${escapeHtml(t('unavailable.retry'))}</a></main></body></html>`;
  return new NextResponse(html, {
    status: 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const config = {
  // Everything except the API proxy and static assets (those carry no session-dependent HTML).
  matcher: ['/((?!api/|\\.well-known/|_next/static/|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt).*)'],
};
