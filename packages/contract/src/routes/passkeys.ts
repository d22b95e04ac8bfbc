import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { LIMITS, opaqueToken, reauthPassword, recoveryCode, totpCode } from '../fields.js';
import { refuseHiddenCharacters } from '../shownText.js';
import { AuthResult } from '../schemas.js';

/**
 * Passkeys (WebAuthn Level 3), beyond the contract: adding one from settings, listing, renaming
 * and removing them, signing in with one (a first factor with user verification, which is two
 * factors in one: `amr` `hwk`/`swk` with `mfa`), and using one as the second factor after a
 * password. The WebAuthn options and credentials are the W3C JSON forms (`PublicKeyCredential*JSON`).
 */

const tags = ['passkeys'];
const setCookies = {
  'Cache-Control': '`no-store`: tokens are never cached.',
  'Set-Cookie': '`refresh_token` and `portcullis_session`, as for login (`POST /api/auth/login`). Not set with `X-Token-Transport: body`.',
};
const transport = { 'X-Token-Transport': '`body` (mobile, CLI): the refresh token comes back in the JSON field `refreshToken` and no cookie is set.' };

export const passkeyName = z
  .string({ message: 'Enter a name for the passkey.' })
  .trim()
  .min(1, 'Enter a name for the passkey.')
  .max(LIMITS.passkeyName, `Name must be at most ${LIMITS.passkeyName} characters.`)
  .superRefine(refuseHiddenCharacters('Name'));

/** One passkey of the signed-in user: never its public key or credential id. */
export const Passkey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    synced: z.boolean().meta({ description: 'Backed up to the cloud by its provider (a synced passkey, `amr` `swk`); false: bound to one device (`hwk`).' }),
  })
  .meta({ id: 'Passkey' });
export type Passkey = z.infer<typeof Passkey>;

const options = z.record(z.string(), z.unknown()).meta({ description: 'Hand to `navigator.credentials` (via `@simplewebauthn/browser` or the SDK helpers).' });

/** What the browser's ceremony returns (`RegistrationResponseJSON` / `AuthenticationResponseJSON`). */
export const credentialJson = z
  .looseObject({
    id: z.string().max(1024),
    rawId: z.string().max(1024),
    type: z.literal('public-key'),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ description: 'The credential as `@simplewebauthn/browser` returns it.' });

const attemptId = opaqueToken.meta({ description: 'The `attemptId` of the options answer: the challenge is bound to it.' });

export const registrationOptions = endpoint({
  method: 'post',
  path: '/api/auth/passkeys/registration/options',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Start adding a passkey (not in the contract)',
  description:
    "Not in the contract: an extension. A passkey is a lasting way in, so this re-authenticates as linking a provider does: the account's `password` (an account without one: a sign-in, not a refresh, of the last 10 minutes, else `401 INVALID_CREDENTIALS` with detail field `session`), and with MFA on a TOTP `code` or a `recoveryCode` (missing: `400 VALIDATION_FAILED`; wrong: `400 INVALID_MFA_CODE`). Wrong passwords and codes count against the login limits (`429`). Returns creation options: attestation `none`, a resident key (discoverable) preferred, user verification required, the account's passkeys excluded. The challenge lives 5 minutes, is bound to this session and used once.",
  body: z.object({ password: reauthPassword, code: totpCode.optional(), recoveryCode: recoveryCode.optional() }),
  status: 200,
  response: z.object({ options }),
  errors: [429],
});

export const register = endpoint({
  method: 'post',
  path: '/api/auth/passkeys',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Finish adding a passkey (not in the contract)',
  description:
    "Not in the contract: an extension. Verifies the attestation against the challenge of this session (another session's, a used or an expired one: `400 INVALID_TOKEN`), the origin (`WEB_URL` or `WEBAUTHN_ORIGINS`) and the RP id (`WEBAUTHN_RP_ID`), with user verification; a failure is `400 VALIDATION_FAILED` (field `response`). A credential already registered (to anyone) is `409 CONFLICT`. Audited (`passkey.added`) and mailed.",
  body: z.object({ response: credentialJson, name: passkeyName.optional() }),
  status: 201,
  response: z.object({ passkey: Passkey }),
  errors: [409],
});

export const list = endpoint({
  method: 'get',
  path: '/api/auth/passkeys',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'The passkeys of the signed-in user (not in the contract)',
  description: 'Not in the contract: an extension. Newest first.',
  status: 200,
  response: z.object({ passkeys: z.array(Passkey) }),
});

export const rename = endpoint({
  method: 'patch',
  path: '/api/auth/passkeys/:id',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Rename a passkey (not in the contract)',
  description: "Not in the contract: an extension. Another user's or an unknown passkey is `404`.",
  body: z.strictObject({ name: passkeyName }),
  status: 200,
  response: z.object({ passkey: Passkey }),
  errors: [404],
  notFound: 'No such passkey.',
});

export const remove = endpoint({
  method: 'delete',
  path: '/api/auth/passkeys/:id',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Remove a passkey (not in the contract)',
  description:
    "Not in the contract: an extension. Refused with `409 CONFLICT` when it is the account's last way to sign in (no password, no linked provider, no other passkey, and sign-in by email off). Audited (`passkey.removed`) and mailed. Another user's or an unknown passkey is `404`.",
  status: 204,
  errors: [404, 409],
  notFound: 'No such passkey.',
});

export const signInOptions = endpoint({
  method: 'post',
  path: '/api/auth/passkeys/sign-in/options',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Start signing in with a passkey (not in the contract)',
  description:
    'Not in the contract: an extension. Request options for a discoverable credential (no `allowCredentials`: the same answer for everyone, so it tells nothing about accounts), user verification required, usable for conditional UI (`mediation: "conditional"`). The challenge lives 5 minutes, is used once and is bound to the returned `attemptId`.',
  body: z.object({}),
  status: 200,
  response: z.object({ options, attemptId: z.string() }),
  rateLimit: 'login',
});

export const signIn = endpoint({
  method: 'post',
  path: '/api/auth/passkeys/sign-in',
  auth: 'none',
  tags,
  extension: true,
  summary: 'Sign in with a passkey (not in the contract)',
  description:
    "Not in the contract: an extension. Verifies the assertion against the attempt's challenge (used, expired or another attempt's: `401 INVALID_CREDENTIALS`), the origin, the RP id, user verification (required: a passkey with it is two factors, so no TOTP follows and the session's `amr` is `hwk` or `swk` with `mfa`), and the signature counter (one that goes backwards means a cloned authenticator: refused, audited, mailed). Any failure is `401 INVALID_CREDENTIALS`. `403 EMAIL_NOT_VERIFIED` only with `REQUIRE_EMAIL_VERIFICATION`. Signed in as for login.",
  requestHeaders: transport,
  body: z.object({ attemptId, response: credentialJson }),
  status: 200,
  response: AuthResult,
  headers: setCookies,
  errors: [401, 403],
  rateLimit: 'login',
});

export const mfaOptions = endpoint({
  method: 'post',
  path: '/api/auth/login/mfa/passkey/options',
  auth: 'none',
  tags,
  extension: true,
  summary: 'A passkey as the second factor: the options (not in the contract)',
  description:
    "Not in the contract: an extension. After a login that answered `{ mfaRequired: true, mfaToken, … }` with `passkey: true`: request options listing the account's passkeys. The challenge is bound to this mfaToken, lives 5 minutes and is used once. An unknown or spent mfaToken is `401 INVALID_TOKEN`; an account without passkeys `409 CONFLICT`.",
  body: z.object({ mfaToken: opaqueToken }),
  status: 200,
  response: z.object({ options }),
  errors: [401, 409],
  rateLimit: 'login',
});

export const mfa = endpoint({
  method: 'post',
  path: '/api/auth/login/mfa/passkey',
  auth: 'none',
  tags,
  extension: true,
  summary: 'A passkey as the second factor: finish the login (not in the contract)',
  description:
    "Not in the contract: an extension. Completes the login with one of the account's passkeys instead of a TOTP code; the session's `amr` is the first factor, `hwk` or `swk`, and `mfa`. A refused assertion is `401 INVALID_MFA_CODE` and counts as a wrong code (the mfaToken's 5 tries and the account's limits); a spent mfaToken `401 INVALID_TOKEN`. Signed in as for login.",
  requestHeaders: transport,
  body: z.object({ mfaToken: opaqueToken, response: credentialJson }),
  status: 200,
  response: AuthResult,
  headers: setCookies,
  errors: [401],
  rateLimit: 'login',
});
