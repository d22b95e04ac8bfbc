import { errors, json } from './components.js';

/** `/api/auth/oauth`: sign-in with Google, GitHub and any OpenID Connect provider, and linked identities. */

const bearer = [{ bearer: [] }];
const provider = { name: 'provider', in: 'path', required: true, schema: { enum: ['google', 'github', 'oidc'] }, description: 'Only configured providers exist; any other is `404`.' };
const errorCodes = [
  '`oauth_state_invalid` (state missing, tampered, replayed, from another browser or older than 10 minutes)',
  '`oauth_access_denied` (the person declined at the provider)',
  '`oauth_provider_error` (another error from the provider)',
  '`oauth_provider_unavailable` (discovery or the provider cannot be reached)',
  '`oauth_exchange_failed` (the code exchange or the ID token validation failed: signature, iss, aud, exp, nonce)',
  '`oauth_profile_failed` (the profile could not be read)',
  '`oauth_email_missing` (the provider shared no email)',
  '`oauth_email_unverified_conflict` (an account has this email, but the provider did not verify it or the account never verified it: sign in with the password and link from settings)',
  '`oauth_email_not_verified` (REQUIRE_EMAIL_VERIFICATION is on; a verification link is mailed, within the verify-resend limit)',
  'link flows only: `oauth_identity_in_use`, `oauth_provider_already_linked`, `oauth_link_session_expired`, `oauth_link_wrong_browser` (the callback did not carry the signed `portcullis_session` cookie of the session that started the link)',
].join('; ');
const stateCookie =
  'The flow state (state, PKCE verifier, nonce, redirect, issued-at) travels in a cookie of its own per flow, `portcullis_oauth_<12 hex digits of SHA-256(state)>` (so sign-ins started in several tabs do not overwrite each other; the callback finds its own by `state`; at most 4 at once, the oldest dropped): AES-256-GCM encrypted, HttpOnly, SameSite=Lax (the callback is a cross-site top-level navigation, which Strict cookies would miss), Path=/api/auth/oauth, Max-Age=600. A used `state` is remembered until it would have expired, where every instance sees it: Redis when configured, else the database (`used_tokens`).';
const Identity = {
  type: 'object',
  required: ['id', 'provider', 'name', 'email', 'linkedAt', 'enabled'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    provider: { type: 'string', examples: ['github'] },
    name: { type: 'string', description: 'Display name of the provider.' },
    email: { type: ['string', 'null'], description: 'The email the provider gave at the last sign-in.' },
    linkedAt: { type: 'string', format: 'date-time' },
    enabled: { type: 'boolean', description: 'False when the provider is no longer configured (it cannot be used to sign in).' },
  },
};

export const oauthPaths = {
  '/api/auth/oauth/providers': {
    get: {
      summary: 'The configured sign-in providers',
      responses: { '200': { description: 'Only providers with a client id and secret configured.', ...json({ type: 'object', required: ['providers'], properties: { providers: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } } } }) } },
    },
  },
  '/api/auth/oauth/{provider}/authorize': {
    get: {
      summary: 'Start signing in with a provider (a browser navigation)',
      description: `Redirects to the provider with the authorization code flow, PKCE S256, \`state\` and (OpenID Connect) \`nonce\`. ${stateCookie}`,
      parameters: [provider, { name: 'redirect', in: 'query', required: false, schema: { type: 'string' }, description: 'Where to land after sign-in: only a relative path on the web app; anything else means `/dashboard`.' }],
      responses: { '302': { description: 'To the provider; or to `/login?error=oauth_provider_unavailable`.' }, ...errors(404) },
    },
  },
  '/api/auth/oauth/{provider}/callback': {
    get: {
      summary: "The provider's redirect back (a browser navigation)",
      description: `Checks the state cookie (then clears it, and the state cannot be used again), exchanges the code, validates the ID token, resolves the account: a known identity signs in; a new identity whose provider-verified email matches a user whose email is verified too is linked (audited as \`oauth.linked\`, and the holder is mailed) — for an account with MFA only once the second factor is passed (see below); an unverified match is refused; otherwise a user is created. "Verified" counts only from providers believed about it: Google and GitHub, and the generic OIDC provider only with \`OIDC_TRUST_EMAIL=true\` (beyond the contract); an unbelieved address is treated as unverified everywhere. Success sets the same cookies as a password login and redirects to the saved path. When the account has TOTP, no session is opened: the \`portcullis_oauth_mfa\` cookie (HttpOnly, SameSite=Strict, Path=/api/auth/oauth/mfa, 5 minutes) carries the MFA challenge and the browser goes to \`/login?mfa=oauth\`. When that sign-in matched the account by its address, the identity is not linked yet: \`portcullis_oauth_link\` (HttpOnly, SameSite=Strict, Path=/api/auth/login/mfa, 5 minutes, encrypted, bound to that MFA challenge and account) carries it, and \`POST /api/auth/login/mfa\` links it once the code was right (beyond the contract). Failures redirect to \`/login?error=<code>\` (link flows: \`/settings/security?error=<code>\`): ${errorCodes}.`,
      parameters: [provider, { name: 'code', in: 'query', schema: { type: 'string' } }, { name: 'state', in: 'query', schema: { type: 'string' } }, { name: 'error', in: 'query', schema: { type: 'string' } }],
      responses: { '302': { description: 'To the web app: the saved redirect (refresh cookie set), `/login?mfa=oauth`, `/settings/security?linked=<provider>`, or an error page.' }, ...errors(404) },
    },
  },
  '/api/auth/oauth/mfa': {
    post: {
      summary: 'Redeem the MFA hand-off of an OAuth sign-in',
      description: 'Reads the `portcullis_oauth_mfa` cookie once (and clears it) and answers what a password login answers for an MFA account; finish with `POST /api/auth/login/mfa`. Single use on the server: opening a hand-off records it as used (`used_tokens`, shared by every instance) until it would have expired, so a copy of the cookie replayed later is `401 INVALID_TOKEN`. Refused from other origins (`403 CSRF_REJECTED`). The mfaToken never appears in a URL.',
      responses: {
        '200': { description: 'The MFA challenge.', ...json({ type: 'object', required: ['mfaRequired', 'mfaToken', 'methods', 'redirect'], properties: { mfaRequired: { const: true }, mfaToken: { type: 'string' }, methods: { type: 'array', items: { type: 'string' } }, redirect: { type: 'string', description: 'Where to go after the second factor.' } } }) },
        ...errors(401, 403),
      },
    },
  },
  '/api/auth/oauth/{provider}/link': {
    post: {
      summary: 'Start linking a provider to the signed-in account',
      description: `Answers the provider URL to navigate to (a navigation carries no bearer token, so linking starts here) and sets the flow cookie bound to this user and session. The callback returns to \`/settings/security?linked=<provider>\`; the link is audited (\`oauth.linked\`) and the holder is mailed. ${stateCookie}\n\nBeyond the contract (an extension): a stolen access token alone cannot link. (1) The request must carry the signed \`portcullis_session\` cookie of the access token's session (it is HttpOnly and set only on browsers that signed in), otherwise \`403 FORBIDDEN\`; the callback must carry it too (\`oauth_link_wrong_browser\`). (2) Re-authentication, as for deleting the account: the \`password\` (an account without one: a sign-in, not a refresh, within the last 10 minutes, else \`401 INVALID_CREDENTIALS\` with \`details: [{ field: "session" }]\`), and with MFA on a \`code\` or a \`recoveryCode\`. A missing field is \`400 VALIDATION_FAILED\` naming it; a wrong password \`401 INVALID_CREDENTIALS\`, a wrong code \`400 INVALID_MFA_CODE\`; both count against the login limits (\`429\`).`,
      security: bearer,
      parameters: [provider],
      requestBody: {
        required: false,
        ...json({
          type: 'object',
          additionalProperties: false,
          properties: {
            password: { type: 'string', description: 'Not in the contract. The account password; required when the account has one.' },
            code: { type: 'string', pattern: '^\\d{6}$', description: 'Not in the contract. A current TOTP code; required (or recoveryCode) when MFA is on.' },
            recoveryCode: { type: 'string', description: 'Not in the contract. Instead of `code`.' },
          },
        }),
      },
      responses: { '200': { description: 'The provider URL.', ...json({ type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' } } }) }, ...errors(400, 401, 403, 404, 429, 503) },
    },
  },
  '/api/auth/oauth/accounts': {
    get: {
      summary: 'Your linked identities',
      security: bearer,
      responses: { '200': { description: 'Linked identities, oldest first.', ...json({ type: 'object', required: ['accounts', 'hasPassword'], properties: { accounts: { type: 'array', items: Identity }, hasPassword: { type: 'boolean' } } }) }, ...errors(401) },
    },
  },
  '/api/auth/oauth/accounts/{id}': {
    delete: {
      summary: 'Unlink an identity',
      description: 'Refused with `409 CONFLICT` when it is the last way to sign in (no password and no other identity at a configured provider). Audited as `oauth.unlinked`.',
      security: bearer,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { '204': { description: 'Unlinked.' }, ...errors(401, 404, 409) },
    },
  },
};
