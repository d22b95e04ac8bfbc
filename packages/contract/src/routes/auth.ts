import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { currentPassword, displayName, email, LIMITS, recoveryCode, totpCode } from '../fields.js';
import { AuthResult, MfaChallenge, Session, User } from '../schemas.js';

/**
 * The core auth endpoints: sign-up, sign-in, the token flow and sessions; plus, beyond the
 * contract, changing one's name, deleting one's account and the web app server's session check.
 * (The MFA login step, `/api/auth/login/mfa`, is defined with the rest of MFA.)
 */

const tags = ['auth'];
const userBody = z.object({ user: User });

const transport = {
  'X-Token-Transport': '`body` (mobile, CLI): the refresh token comes back in the JSON field `refreshToken` and no cookie is set.',
};
const noStore = { 'Cache-Control': '`no-store`: tokens are never cached.' };
const setCookies = {
  ...noStore,
  'Set-Cookie':
    '`refresh_token=<token>; HttpOnly; SameSite=Strict; Path=/api/auth; Max-Age=<JWT_REFRESH_TTL in seconds>` (plus `Secure` when `COOKIE_SECURE=true` or in production), and `portcullis_session` (HttpOnly, SameSite=Lax, Path=/): the signed session id for `GET /api/auth/session`. Not set with `X-Token-Transport: body`.',
};
const clearCookies = { 'Set-Cookie': 'Clears `refresh_token` (same name and path, `Max-Age=0`) and `portcullis_session`.' };

/** The password's static part; the configured policy (length, classes) and the email rule are the API's checks. */
export const registerBody = z.object({
  email,
  password: z.string({ message: 'Enter a password.' }).meta({ description: 'Must meet the password policy.' }),
  displayName,
});

/** For non-browser clients, in place of the refresh cookie. Unknown fields are ignored. */
export const refreshTokenBody = z.object({
  refreshToken: z.string().max(512).optional().meta({ description: 'For non-browser clients, in place of the cookie.' }),
});

/** What deleting one's own account needs besides the token; which fields depends on the account. */
export const deletionProof = z
  .strictObject({
    password: currentPassword.optional(),
    code: totpCode.optional(),
    recoveryCode: recoveryCode.optional().meta({ description: 'Instead of `code`, never with it.' }),
  })
  .refine((body) => body.code === undefined || body.recoveryCode === undefined, {
    path: ['code'],
    message: 'Send either a code or a recovery code, not both.',
  });

export const register = endpoint({
  method: 'post',
  path: '/api/auth/register',
  auth: 'none',
  tags,
  summary: 'Create an account and sign in',
  description:
    'The email is trimmed and compared case-insensitively (one account per address) and stored as typed. Unknown fields are ignored (a `role` cannot be chosen). Password policy: 8–128 characters with an upper-case letter, a lower-case letter, a digit and a symbol (configurable); a password containing the local part of the email is refused. `displayName`: 1–100 characters; no control, format (direction overrides, zero-width) or separator characters: `400 VALIDATION_FAILED` naming the character.',
  requestHeaders: transport,
  body: registerBody,
  status: 201,
  response: AuthResult,
  headers: setCookies,
  errors: [409, 503],
  rateLimit: 'register',
});

export const login = endpoint({
  method: 'post',
  path: '/api/auth/login',
  auth: 'none',
  tags,
  summary: 'Sign in with email and password',
  description:
    'A wrong password and an unknown email answer the same `401 INVALID_CREDENTIALS` in about the same time. When the account has MFA the answer is `{ mfaRequired: true, mfaToken, methods }` with no tokens (the `mfaToken` is valid 5 minutes); finish with `POST /api/auth/login/mfa`. `403 EMAIL_NOT_VERIFIED` only when `REQUIRE_EMAIL_VERIFICATION` is on.',
  requestHeaders: transport,
  body: z.object({
    email: z.string({ message: 'Enter your email address.' }).max(LIMITS.loginEmailMax),
    password: z.string({ message: 'Enter your password.' }).max(LIMITS.loginPasswordMax),
  }),
  status: 200,
  response: z.union([AuthResult, MfaChallenge]),
  headers: setCookies,
  errors: [401, 403, 503],
  rateLimit: 'login',
});

export const refresh = endpoint({
  method: 'post',
  path: '/api/auth/refresh',
  auth: 'refresh',
  tags,
  summary: 'Rotate the refresh token and get a new access token',
  description:
    'Takes the refresh cookie (or `{ refreshToken }` in the body). Every success invalidates the token given and returns a new one for the same session. A just-rotated token presented again within `REFRESH_REUSE_GRACE` (default 30 s) gets the same current token back; later, it is treated as theft: the session is revoked and the answer is `401 REFRESH_TOKEN_REUSED`. Every 401 clears the cookie; beyond the contract, when the signed `portcullis_session` cookie names a session that ended, the 401 also carries `X-Session-Ended` with why (as `GET /api/auth/session` does), since the page can no longer ask once the cookies are gone. A token that came in the cookie is always answered in the cookie (never in JSON, whatever `X-Token-Transport` says); one sent in the body is answered in the body. A request whose `Origin` (or `Referer`) names an origin not in `CORS_ORIGINS` is refused with `403 CSRF_REJECTED`, whose message names that origin and the setting (outside production, beyond the contract, the other loopback spellings of a `localhost`/`127.0.0.1`/`[::1]` `WEB_URL` are allowed too).',
  requestHeaders: transport,
  body: refreshTokenBody,
  status: 200,
  response: AuthResult,
  headers: setCookies,
  errors: [401, 403, 503],
});

export const logout = endpoint({
  method: 'post',
  path: '/api/auth/logout',
  auth: 'refresh',
  tags,
  summary: 'End this session',
  description:
    'Revokes the session of the refresh cookie (or body token); its access tokens are refused from the next request. Idempotent: `204` also with no or a dead token. Cross-site requests are refused (`403 CSRF_REJECTED`).',
  body: refreshTokenBody,
  status: 204,
  headers: clearCookies,
  errors: [403],
});

export const logoutAll = endpoint({
  method: 'post',
  path: '/api/auth/logout-all',
  auth: 'bearer',
  tags,
  summary: 'End every session of the user',
  description: 'Every session revoked; the cookies are cleared.',
  status: 204,
  headers: clearCookies,
});

export const me = endpoint({
  method: 'get',
  path: '/api/auth/me',
  auth: 'bearer',
  tags,
  summary: 'The signed-in user',
  machineCallers: true,
  status: 200,
  response: userBody,
  headers: noStore,
});

export const updateMe = endpoint({
  method: 'patch',
  path: '/api/auth/me',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Change the display name (not in the contract)',
  description:
    'Not in the contract: an extension. The body holds `displayName` and nothing else: any other field (`role`, `email`, `emailVerified`, `id`, …) is `400 VALIDATION_FAILED` and nothing changes. The name is checked as at registration (trimmed, 1 to 100 characters, no control, format or separator characters such as direction overrides and zero-width spaces). Writes the audit event `user.updated` with `details: { fields: ["displayName"] }` (never the values). `Cache-Control: no-store`.',
  body: z.strictObject({ displayName }),
  status: 200,
  response: userBody,
});

export const deleteMe = endpoint({
  method: 'delete',
  path: '/api/auth/me',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Delete your own account (not in the contract)',
  description: [
    'Not in the contract: an extension. Deletes the signed-in user with their sessions, refresh tokens, projects, MFA and linked providers; every access token of theirs is refused from the next request (`401 INVALID_TOKEN`) and the cookies are cleared. A notice is mailed to the address and the audit event `user.deleted` is written with `details.via: "self"`.',
    'Proof, besides the access token:',
    '- an account with a password sends `password` (missing: `400 VALIDATION_FAILED`; wrong: `401 INVALID_CREDENTIALS`). Each attempt counts against the login limits for the account until it succeeds, so wrong passwords (and wrong codes) lead to `429 RATE_LIMITED`;',
    '- an account without a password (OAuth sign-in only) sends none: its session must have been signed in within the last 10 minutes (refreshing does not count). An older one is `401 INVALID_CREDENTIALS` with `details: [{ field: "session", … }]`: sign in again, then delete;',
    '- with MFA on, also a 6-digit TOTP `code` (accepted once) or an unused `recoveryCode` (missing: `400 VALIDATION_FAILED`; wrong or already used: `400 INVALID_MFA_CODE`).',
    '`409 LAST_ADMIN` when the account is the only admin: nothing is deleted and no code is spent.',
  ].join('\n'),
  body: deletionProof,
  status: 204,
  headers: { 'Set-Cookie': 'Clears `refresh_token` and `portcullis_session`.' },
  errors: [409, 429],
});

export const listSessions = endpoint({
  method: 'get',
  path: '/api/auth/sessions',
  auth: 'bearer',
  tags,
  summary: 'The user’s live sessions (one per login on a device)',
  description: 'Most recently active first.',
  status: 200,
  response: z.object({ sessions: z.array(Session) }),
  headers: noStore,
});

export const revokeSession = endpoint({
  method: 'delete',
  path: '/api/auth/sessions/:id',
  auth: 'bearer',
  tags,
  summary: 'Revoke one of the user’s sessions',
  description: 'Its access tokens are refused from the next request. Another user’s or an unknown session is `404`.',
  status: 204,
  errors: [404],
  notFound: 'No such session.',
});

const AMR = ['pwd', 'fed', 'otp', 'mfa', 'hwk', 'swk'] as const;

export const session = endpoint({
  method: 'get',
  path: '/api/auth/session',
  auth: 'session',
  tags,
  extension: true,
  summary: 'Whose live session a browser belongs to (for the web app’s server)',
  description:
    'Not in the contract: an extension. Reads the signed `portcullis_session` cookie. Returns no token and rotates nothing; `401 UNAUTHENTICATED` when the cookie is missing, forged or its session has ended. When a genuine cookie names a session that ended, the 401 carries `X-Session-Ended` with why, for the sign-in page: `signed_out`, `signed_out_everywhere`, `password_changed` (here or by a reset), `locked`, `revoked` (by the user on another device, an admin, an MFA reset or token reuse) or `expired`.',
  status: 200,
  response: z.object({
    user: User,
    session: z.object({
      id: z.uuid(),
      expiresAt: z.iso.datetime({ offset: true }),
      amr: z.array(z.enum(AMR)).meta({
        description:
          'Not in the contract. How the session was signed in (RFC 8176): `mfa` when a second factor was used (a passkey with user verification counts as two: `hwk` device-bound, `swk` synced); empty for sessions from before this was recorded.',
      }),
    }),
    adminRequiresMfa: z.boolean().meta({ description: 'Not in the contract. `ADMIN_REQUIRE_MFA`: admin features need a session whose `amr` has `mfa`.' }),
  }),
  headers: noStore,
});
