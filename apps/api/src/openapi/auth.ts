import { errors, json } from './components.js';
import { profileOperations } from './profile.js';

/**
 * The core endpoints: sign-up, sign-in, the token flow, sessions, keys and health. (The MFA login
 * step, `/api/auth/login/mfa`, is described with the rest of MFA in account.ts.)
 */

const authResult = json({ $ref: '#/components/schemas/AuthResult' });
const bearer = [{ bearer: [] }];
const refreshCookie = [{ refreshCookie: [] }, {}];
const noStore = { 'Cache-Control': { description: '`no-store`: tokens are never cached.', schema: { type: 'string' } } };
const setCookie = {
  'Set-Cookie': {
    description:
      '`refresh_token=<token>; HttpOnly; SameSite=Strict; Path=/api/auth; Max-Age=<JWT_REFRESH_TTL in seconds>` (plus `Secure` when `COOKIE_SECURE=true` or in production), and `portcullis_session` (HttpOnly, SameSite=Lax, Path=/): the signed session id for `GET /api/auth/session`. Not set with `X-Token-Transport: body`.',
    schema: { type: 'string' },
  },
};
const clearCookie = { 'Set-Cookie': { description: 'Clears `refresh_token` (same name and path, `Max-Age=0`) and `portcullis_session`.', schema: { type: 'string' } } };
const transportHeader = {
  name: 'X-Token-Transport',
  in: 'header',
  required: false,
  schema: { enum: ['body'] },
  description: '`body` (mobile, CLI): the refresh token comes back in the JSON field `refreshToken` and no cookie is set.',
};
const refreshBody = {
  required: false,
  ...json({ type: 'object', properties: { refreshToken: { type: 'string', maxLength: 512, description: 'For non-browser clients, in place of the cookie.' } }, additionalProperties: false }),
};
const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra });
const signedIn = (status: string, description: string) => ({ [status]: { description, headers: { ...noStore, ...setCookie }, ...authResult } });
const session = {
  type: 'object',
  required: ['id', 'createdAt', 'lastActiveAt', 'expiresAt', 'ip', 'userAgent', 'device', 'current'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    lastActiveAt: { type: 'string', format: 'date-time', description: 'Updated by every refresh.' },
    expiresAt: { type: 'string', format: 'date-time', description: 'Idle expiry, pushed forward by every refresh; never past SESSION_MAX_AGE after the login.' },
    ip: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    device: { type: ['string', 'null'], examples: ['Firefox on Windows'] },
    current: { type: 'boolean', description: 'True for the session of the access token used.' },
  },
};
const health = json({ type: 'object', required: ['status'], properties: { status: { enum: ['ok', 'degraded', 'unavailable'] }, checks: { type: 'object', additionalProperties: { enum: ['ok', 'degraded', 'unavailable'] } } } });

export const authPaths = {
  '/api/auth/register': {
    post: {
      summary: 'Create an account and sign in',
      description: 'The email is trimmed and compared case-insensitively (one account per address) and stored as typed. Unknown fields are ignored (a `role` cannot be chosen). Password policy: 8–128 characters with an upper-case letter, a lower-case letter, a digit and a symbol (configurable).',
      parameters: [transportHeader],
      requestBody: json({
        type: 'object',
        required: ['email', 'password', 'displayName'],
        properties: { email: str('An email address.', { format: 'email', maxLength: 254 }), password: str('Must meet the password policy.', { minLength: 8, maxLength: 128 }), displayName: str('1–100 characters; no control, format (direction overrides, zero-width) or separator characters: `400 VALIDATION_FAILED` naming the character.', { maxLength: 100 }) },
      }),
      responses: { ...signedIn('201', 'Account created and signed in.'), ...errors(400, 409, 413, 415, 429, 503) },
    },
  },
  '/api/auth/login': {
    post: {
      summary: 'Sign in with email and password',
      description:
        'A wrong password and an unknown email answer the same `401 INVALID_CREDENTIALS` in about the same time. When the account has MFA the answer is `{ mfaRequired: true, mfaToken, methods }` with no tokens; finish with `POST /api/auth/login/mfa`. `403 EMAIL_NOT_VERIFIED` only when `REQUIRE_EMAIL_VERIFICATION` is on.',
      parameters: [transportHeader],
      requestBody: json({ type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' } } }),
      responses: {
        '200': {
          description: 'Signed in, or an MFA challenge.',
          headers: { ...noStore, ...setCookie },
          ...json({
            oneOf: [
              { $ref: '#/components/schemas/AuthResult' },
              {
                type: 'object',
                required: ['mfaRequired', 'mfaToken', 'methods'],
                properties: { mfaRequired: { const: true }, mfaToken: { type: 'string', description: 'Valid 5 minutes.' }, methods: { type: 'array', items: { enum: ['totp', 'recovery_code'] } } },
              },
            ],
          }),
        },
        ...errors(400, 401, 403, 413, 415, 429, 503),
      },
    },
  },
  '/api/auth/refresh': {
    post: {
      summary: 'Rotate the refresh token and get a new access token',
      description:
        'Takes the refresh cookie (or `{ refreshToken }` in the body). Every success invalidates the token given and returns a new one for the same session. A just-rotated token presented again within `REFRESH_REUSE_GRACE` (default 30 s) gets the same current token back; later, it is treated as theft: the session is revoked and the answer is `401 REFRESH_TOKEN_REUSED`. Every 401 clears the cookie. A token that came in the cookie is always answered in the cookie (never in JSON, whatever `X-Token-Transport` says); one sent in the body is answered in the body. A request whose `Origin` (or `Referer`) names an origin not in `CORS_ORIGINS` is refused with `403 CSRF_REJECTED`, whose message names that origin and the setting (outside production, beyond the contract, the other loopback spellings of a `localhost`/`127.0.0.1`/`[::1]` `WEB_URL` are allowed too).',
      security: refreshCookie,
      parameters: [transportHeader],
      requestBody: refreshBody,
      responses: { ...signedIn('200', 'New tokens; rotated refresh cookie.'), ...errors(400, 401, 403, 503) },
    },
  },
  '/api/auth/logout': {
    post: {
      summary: 'End this session',
      description: 'Revokes the session of the refresh cookie (or body token); its access tokens are refused from the next request. Idempotent: `204` also with no or a dead token. Cross-site requests are refused (`403 CSRF_REJECTED`).',
      security: refreshCookie,
      requestBody: refreshBody,
      responses: { '204': { description: 'Signed out; cookie cleared.', headers: clearCookie }, ...errors(400, 403) },
    },
  },
  '/api/auth/logout-all': {
    post: {
      summary: 'End every session of the user',
      security: bearer,
      responses: { '204': { description: 'Every session revoked; cookie cleared.', headers: clearCookie }, ...errors(401) },
    },
  },
  '/api/auth/me': {
    get: {
      summary: 'The signed-in user',
      security: bearer,
      responses: { '200': { description: 'The user.', headers: noStore, ...json({ type: 'object', required: ['user'], properties: { user: { $ref: '#/components/schemas/User' } } }) }, ...errors(401) },
    },
    ...profileOperations,
  },
  '/api/auth/sessions': {
    get: {
      summary: 'The user’s live sessions (one per login on a device)',
      security: bearer,
      responses: { '200': { description: 'Most recently active first.', headers: noStore, ...json({ type: 'object', required: ['sessions'], properties: { sessions: { type: 'array', items: session } } }) }, ...errors(401) },
    },
  },
  '/api/auth/sessions/{id}': {
    delete: {
      summary: 'Revoke one of the user’s sessions',
      description: 'Its access tokens are refused from the next request. Another user’s or an unknown session is `404`.',
      security: bearer,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { '204': { description: 'Revoked.' }, ...errors(401, 404) },
    },
  },
  '/api/auth/session': {
    get: {
      summary: 'Whose live session a browser belongs to (for the web app’s server)',
      description: 'Reads the signed `portcullis_session` cookie. Returns no token and rotates nothing; `401 UNAUTHENTICATED` when the cookie is missing, forged or its session has ended.',
      security: [{ sessionCookie: [] }],
      responses: {
        '200': {
          description: 'A live session.',
          headers: noStore,
          ...json({
            type: 'object',
            required: ['user', 'session'],
            properties: {
              user: { $ref: '#/components/schemas/User' },
              session: {
                type: 'object',
                required: ['id', 'expiresAt', 'amr'],
                properties: {
                  id: { type: 'string', format: 'uuid' },
                  expiresAt: { type: 'string', format: 'date-time' },
                  amr: { type: 'array', items: { type: 'string', enum: ['pwd', 'fed', 'otp', 'mfa'] }, description: 'Not in the contract. How the session was signed in (RFC 8176): `mfa` when a second factor was used; empty for sessions from before this was recorded.' },
                },
              },
              adminRequiresMfa: { type: 'boolean', description: 'Not in the contract. `ADMIN_REQUIRE_MFA`: admin features need a session whose `amr` has `mfa`.' },
            },
          }),
        },
        ...errors(401),
      },
    },
  },
  '/.well-known/jwks.json': {
    get: {
      summary: 'Public keys that verify access tokens',
      description: 'The current signing key and retired keys whose tokens may still be valid (`kty`, `crv`, `x` (and `y` for ES256), `kid`, `alg`, `use: "sig"`). Access tokens are JWTs with header `typ: "at+jwt"` and exactly the claims `iss aud sub sid role iat exp jti` (with `ADMIN_REQUIRE_MFA=true` also `amr`, not in the contract: RFC 8176 values such as `pwd`, `fed`, `otp`, `mfa`).',
      responses: {
        '200': {
          description: 'A JSON Web Key Set.',
          ...json({ type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object', required: ['kty', 'kid', 'alg', 'use'], properties: { kty: { type: 'string' }, crv: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' }, kid: { type: 'string' }, alg: { enum: ['EdDSA', 'ES256'] }, use: { const: 'sig' } } } } } }),
        },
      },
    },
  },
  '/healthz': { get: { summary: 'Liveness: 200 while the process runs', responses: { '200': { description: 'Running.', ...health } } } },
  '/readyz': {
    get: {
      summary: 'Readiness: the database answers (Redis, when configured and not answering, is reported as degraded)',
      responses: { '200': { description: 'Ready; `status: degraded` and `checks.redis: degraded` while a configured Redis does not answer.', ...health }, '503': { description: 'The database does not answer.', ...health } },
    },
  },
};
