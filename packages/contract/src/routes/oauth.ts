import { z } from 'zod';
import { OAUTH_PROVIDERS, type OAuthErrorCode } from '../codes.js';
import { endpoint } from '../endpoint.js';
import { currentPassword, recoveryCode, totpCode } from '../fields.js';
import { MfaChallenge } from '../schemas.js';

/**
 * `/api/auth/oauth`: sign-in with Google, GitHub and any OpenID Connect provider, and linked
 * identities. The authorize and callback endpoints are browser navigations: every outcome is a
 * `302` to the web app, failures to `/login?error=<code>` (link flows:
 * `/settings/security?error=<code>`), never a page of JSON.
 */

const tags = ['oauth'];
const providerNote = ' `provider` is `google`, `github` or `oidc`; only configured providers exist, any other is `404 NOT_FOUND`.';

/** What each `?error=` code means; typed by the contract's lists, so a new code cannot go undocumented. */
const errorCodeNotes = {
  oauth_state_invalid: 'state missing, tampered, replayed, from another browser or older than 10 minutes',
  oauth_access_denied: 'the person declined at the provider',
  oauth_provider_error: 'another error from the provider',
  oauth_provider_unavailable: 'discovery or the provider cannot be reached',
  oauth_exchange_failed: 'the code exchange or the ID token validation failed: signature, iss, aud, exp, nonce',
  oauth_profile_failed: 'the profile could not be read',
  oauth_email_missing: 'the provider shared no email',
  oauth_email_unverified_conflict:
    'an account has this email, but the provider did not verify it or the account never verified it: sign in with the password and link from settings',
  oauth_email_not_verified: 'REQUIRE_EMAIL_VERIFICATION is on; a verification link is mailed, within the verify-resend limit',
  oauth_account_locked: 'an extension: an administrator locked the account',
  oauth_identity_in_use: 'link flows only: the identity belongs to another account',
  oauth_provider_already_linked: 'link flows only: the account already has an identity at this provider',
  oauth_link_session_expired: 'link flows only: the session that started the link ended before it completed',
  oauth_link_wrong_browser: 'link flows only: the callback did not carry the signed `portcullis_session` cookie of the session that started the link',
} satisfies Record<OAuthErrorCode, string>;
const errorCodes = Object.entries(errorCodeNotes)
  .map(([code, note]) => `\`${code}\` (${note})`)
  .join('; ');

const stateCookie =
  'The flow state (state, PKCE verifier, nonce, redirect, issued-at) travels in a cookie of its own per flow, `portcullis_oauth_<12 hex digits of SHA-256(state)>` (so sign-ins started in several tabs do not overwrite each other; the callback finds its own by `state`; at most 4 at once, the oldest dropped): encrypted (A256GCM), HttpOnly, SameSite=Lax (the callback is a cross-site top-level navigation, which Strict cookies would miss), Path=/api/auth/oauth, Max-Age=600. A used `state` is remembered until it would have expired, where every instance sees it: Redis when configured, else the database (`used_tokens`).';

/**
 * A query parameter of a browser navigation, taken as it comes: a repeated one arrives as a list,
 * which counts as no valid value (never a `400`: a navigation always lands on a page).
 */
const navigationParam = (description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .meta({ description });

const Identity = z
  .object({
    id: z.uuid(),
    provider: z.string().meta({ examples: ['github'] }),
    name: z.string().meta({ description: 'Display name of the provider.' }),
    email: z.string().nullable().meta({ description: 'The email the provider gave at the last sign-in.' }),
    linkedAt: z.iso.datetime({ offset: true }),
    enabled: z.boolean().meta({ description: 'False when the provider is no longer configured (it cannot be used to sign in).' }),
  })
  .meta({ id: 'LinkedIdentity' });
export type LinkedIdentity = z.infer<typeof Identity>;

export const listProviders = endpoint({
  method: 'get',
  path: '/api/auth/oauth/providers',
  auth: 'none',
  tags,
  summary: 'The configured sign-in providers',
  description: 'Only providers with a client id and secret configured.',
  status: 200,
  response: z.object({ providers: z.array(z.object({ id: z.enum(OAUTH_PROVIDERS), name: z.string() })) }),
});

export const authorize = endpoint({
  method: 'get',
  path: '/api/auth/oauth/:provider/authorize',
  auth: 'none',
  tags,
  summary: 'Start signing in with a provider (a browser navigation)',
  description: `Redirects to the provider with the authorization code flow, PKCE S256, \`state\` and (OpenID Connect) \`nonce\`. ${stateCookie}${providerNote}`,
  query: z.object({
    redirect: navigationParam('Where to land after sign-in: only a relative path on the web app; anything else means `/dashboard`.'),
  }),
  status: 302,
  headers: { Location: 'To the provider; or to `/login?error=oauth_provider_unavailable`.' },
  errors: [404],
});

export const callback = endpoint({
  method: 'get',
  path: '/api/auth/oauth/:provider/callback',
  auth: 'none',
  tags,
  summary: "The provider's redirect back (a browser navigation)",
  description: `Checks the state cookie (then clears it, and the state cannot be used again), exchanges the code, validates the ID token, resolves the account: a known identity signs in; a new identity whose provider-verified email matches a user whose email is verified too is linked (audited as \`oauth.linked\`, and the holder is mailed) — for an account with MFA only once the second factor is passed (see below); an unverified match is refused; otherwise a user is created. "Verified" counts only from providers believed about it: Google and GitHub, and the generic OIDC provider only with \`OIDC_TRUST_EMAIL=true\` (beyond the contract); an unbelieved address is treated as unverified everywhere. Success sets the same cookies as a password login and redirects to the saved path. When the account has TOTP, no session is opened: the \`portcullis_oauth_mfa\` cookie (HttpOnly, SameSite=Strict, Path=/api/auth/oauth/mfa, 5 minutes) carries the MFA challenge and the browser goes to \`/login?mfa=oauth\`. When that sign-in matched the account by its address, the identity is not linked yet: \`portcullis_oauth_link\` (HttpOnly, SameSite=Strict, Path=/api/auth/login/mfa, 5 minutes, encrypted, bound to that MFA challenge and account) carries it, and \`POST /api/auth/login/mfa\` links it once the code was right (beyond the contract). Failures redirect to \`/login?error=<code>\` (link flows: \`/settings/security?error=<code>\`): ${errorCodes}.${providerNote}`,
  query: z.object({
    code: navigationParam("The provider's authorization code."),
    state: navigationParam('The `state` sent to the provider; names the flow cookie.'),
    error: navigationParam('Set by the provider when the sign-in failed there (`access_denied`: the person declined).'),
  }),
  status: 302,
  headers: {
    Location: 'To the web app: the saved redirect (refresh cookie set), `/login?mfa=oauth`, `/settings/security?linked=<provider>`, or an error page.',
  },
  errors: [404],
});

export const redeemMfaHandoff = endpoint({
  method: 'post',
  path: '/api/auth/oauth/mfa',
  auth: 'none',
  tags,
  summary: 'Redeem the MFA hand-off of an OAuth sign-in',
  description:
    'Not in the contract (an extension). Reads the `portcullis_oauth_mfa` cookie once (and clears it) and answers what a password login answers for an MFA account; finish with `POST /api/auth/login/mfa`. Single use on the server: opening a hand-off records it as used (`used_tokens`, shared by every instance) until it would have expired, so a copy of the cookie replayed later is `401 INVALID_TOKEN`. Refused from other origins (`403 CSRF_REJECTED`). The mfaToken never appears in a URL.',
  status: 200,
  response: MfaChallenge.extend({ redirect: z.string().meta({ description: 'Where to go after the second factor.' }) }),
  errors: [401, 403],
  extension: true,
});

export const startLink = endpoint({
  method: 'post',
  path: '/api/auth/oauth/:provider/link',
  auth: 'bearer',
  tags,
  summary: 'Start linking a provider to the signed-in account',
  description: `Not in the contract (an extension). Answers the provider URL to navigate to (a navigation carries no bearer token, so linking starts here) and sets the flow cookie bound to this user and session. The callback returns to \`/settings/security?linked=<provider>\`; the link is audited (\`oauth.linked\`) and the holder is mailed. ${stateCookie}\n\nA stolen access token alone cannot link. (1) The request must carry the signed \`portcullis_session\` cookie of the access token's session (it is HttpOnly and set only on browsers that signed in), otherwise \`403 FORBIDDEN\`; the callback must carry it too (\`oauth_link_wrong_browser\`). (2) Re-authentication, as for deleting the account: the \`password\` (an account without one: a sign-in, not a refresh, within the last 10 minutes, else \`401 INVALID_CREDENTIALS\` with \`details: [{ field: "session" }]\`), and with MFA on a \`code\` or a \`recoveryCode\`. A missing field is \`400 VALIDATION_FAILED\` naming it; a wrong password \`401 INVALID_CREDENTIALS\`, a wrong code \`400 INVALID_MFA_CODE\`; both count against the login limits (\`429\`). \`503 SERVICE_UNAVAILABLE\` when the provider cannot be reached.${providerNote}`,
  body: z
    .strictObject({
      password: currentPassword.optional().meta({ description: 'The account password; required when the account has one.' }),
      code: totpCode.optional().meta({ description: 'A current TOTP code; required (or recoveryCode) when MFA is on.' }),
      recoveryCode: recoveryCode.optional().meta({ description: 'Instead of `code`, never with it.' }),
    })
    .refine((body) => body.code === undefined || body.recoveryCode === undefined, {
      path: ['code'],
      message: 'Send either a code or a recovery code, not both.',
    }),
  status: 200,
  response: z.object({ url: z.url().meta({ description: "The provider's authorization URL." }) }),
  errors: [403, 404, 429, 503],
  extension: true,
});

export const listLinkedAccounts = endpoint({
  method: 'get',
  path: '/api/auth/oauth/accounts',
  auth: 'bearer',
  tags,
  summary: 'Your linked identities',
  description:
    'Not in the contract (an extension). Linked identities, oldest first. `hasPassword` lets the web app offer "set a password first" instead of an unlink that would be refused.',
  status: 200,
  response: z.object({ accounts: z.array(Identity), hasPassword: z.boolean() }),
  extension: true,
});

export const unlinkAccount = endpoint({
  method: 'delete',
  path: '/api/auth/oauth/accounts/:id',
  auth: 'bearer',
  tags,
  summary: 'Unlink an identity',
  description:
    'Not in the contract (an extension). Refused with `409 CONFLICT` when it is the last way to sign in (no password and no other identity at a configured provider). Audited as `oauth.unlinked`. A malformed or unknown id is `404 NOT_FOUND`.',
  status: 204,
  errors: [404, 409],
  notFound: 'No such linked account.',
  extension: true,
});
