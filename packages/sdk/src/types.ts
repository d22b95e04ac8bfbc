// The SDK's own types (options, results of its calls). The wire shapes are the contract's
// (@portcullis/contract, written once there): imported as types only, so the browser bundle
// never pulls in zod.
import type {
  account,
  admin,
  apiKeys,
  ApiKey,
  auth,
  oauth,
  passkeys,
  emailSignIn,
  AuditEvent,
  AuthResult,
  BodyInputOf,
  MfaChallenge,
  MfaMethod,
  mfa,
  Project,
  ResponseOf,
  Role,
  Session,
  User,
} from '@portcullis/contract';
import type { AdminConsoleClient } from '#sdk/adminConsole';
import type { IntegrationsAdminClient } from '#sdk/integrations';
import type { AuthError } from '#sdk/errors';

export type { ApiKey, AuditEvent, AuthResult, MfaChallenge, MfaMethod, Project, Role, Session, User };

/** Login finished: the client now holds an access token for `user`. */
export interface SignedIn {
  user: User;
  /** Absent; declared so that `if (result.mfaRequired)` narrows the union. */
  mfaRequired?: undefined;
}

export type LoginResult = SignedIn | MfaChallenge;

// Inputs and answers of the calls, from the contract's endpoint definitions (packages/contract/src/routes).

/** Proof for `deleteAccount`: which fields depends on the account. */
export type DeleteAccountInput = BodyInputOf<typeof auth.deleteMe>;

/** `setupTotp`: the new secret for an authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), not in force until enabled. */
export type TotpSetup = ResponseOf<typeof mfa.setupTotp>;

/** `resetUserMfa` (admin): the user afterwards (`mfaEnabled: false`) and how many of their sessions were ended. */
export type MfaResetResult = ResponseOf<typeof admin.resetMfa>;

/** A TOTP `code` or a `recoveryCode`, never both. */
export type MfaLoginInput = BodyInputOf<typeof mfa.loginMfa>;

/** One passkey of the signed-in user (not in the contract). */
export type Passkey = ResponseOf<typeof passkeys.list>['passkeys'][number];
/** What adding a passkey takes besides the token: the password (or a fresh sign-in), and a code with MFA on. */
export type PasskeyProof = BodyInputOf<typeof passkeys.registrationOptions>;
/** WebAuthn options for `navigator.credentials` (W3C JSON form), as the API gives them. */
export type WebAuthnOptionsJSON = Record<string, unknown>;
/** A credential from the browser's ceremony, in its JSON form (`@simplewebauthn/browser`). */
export type WebAuthnCredentialJSON = BodyInputOf<typeof passkeys.signIn>['response'];
/** Which ways of signing in the server offers. */
export type SignInMethods = ResponseOf<typeof emailSignIn.methods>;
/** `{ email, code }` from the mail, or the link's `{ token }`. */
export type EmailSignInRedeemInput = BodyInputOf<typeof emailSignIn.redeem>;

export type TokenTransport = 'cookie' | 'body';

/**
 * Why a signed-in client lost its session:
 * - `refresh_failed`: the refresh token was refused (expired, revoked, reused);
 * - `signed_out_elsewhere`: another tab signed out or its refresh failed (they share the cookie).
 * A deliberate `logout()` / `logoutAll()` in this client does not emit: the caller knows.
 */
export type SessionEndReason = 'refresh_failed' | 'signed_out_elsewhere';

export type SessionEndListener = (reason: SessionEndReason, error?: AuthError) => void;

/** What the client needs of `fetch`; the global one and test fakes both fit. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface AuthClientOptions {
  /** Origin (and optional prefix) of the API, e.g. `http://localhost:4000`; `''` for same-origin. */
  baseUrl: string;
  /** Defaults to the global `fetch`, looked up at call time. */
  fetch?: FetchLike;
  /** `cookie` (browsers, default): refresh token in the HttpOnly cookie. `body` (Node, CLI, mobile): kept in memory. */
  transport?: TokenTransport;
  /** Called when a signed-in session ends without `logout()`; also see `client.onSessionEnd`. */
  onSessionEnd?: SessionEndListener;
  /** Clock in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Refresh shortly before the access token expires (default true). Calls refresh a stale token anyway. */
  autoRefresh?: boolean;
  /** Share tokens, refresh lock and sign-out with other tabs (default: cookie transport in a browser). */
  crossTab?: boolean;
  /** Body transport only: a refresh token saved earlier, e.g. by a CLI; `init()` then restores from it. */
  refreshToken?: string;
}

/** `createApiKey`: the key's record and the key itself, shown this once. */
export type CreatedApiKey = ResponseOf<typeof apiKeys.createApiKey>;

export interface AuthClient {
  /**
   * Not in the contract (issue 15): personal API keys of the signed-in user, for scripts and CLIs
   * (`Authorization: Bearer pk_…`). Creating one re-authenticates (`password`, or a sign-in of the
   * last 10 minutes); permissions beyond the role are FORBIDDEN. Revoked keys are refused at once.
   */
  listApiKeys(): Promise<ApiKey[]>;
  createApiKey(input: BodyInputOf<typeof apiKeys.createApiKey>): Promise<CreatedApiKey>;
  revokeApiKey(id: string): Promise<void>;
  register(input: BodyInputOf<typeof auth.register>): Promise<SignedIn>;
  login(input: BodyInputOf<typeof auth.login>): Promise<LoginResult>;
  loginMfa(input: MfaLoginInput): Promise<SignedIn>;
  logout(): Promise<void>;
  logoutAll(): Promise<void>;
  me(): Promise<User>;
  sessions(): Promise<Session[]>;
  revokeSession(id: string): Promise<void>;
  refresh(): Promise<User>;
  changePassword(input: BodyInputOf<typeof account.changePassword>): Promise<void>;
  /** Starts TOTP setup (replacing an unconfirmed one); CONFLICT while MFA is on. */
  setupTotp(): Promise<TotpSetup>;
  /**
   * Turns TOTP on with a code from the app; returns the 10 recovery codes, shown this once. Needs a
   * sign-in (not a refresh) of the last 10 minutes, or `password` (not in the contract: an optional
   * field beside the contract's `code`). Without either: 401 INVALID_CREDENTIALS, detail field
   * `password` (send it) or, for an account without a password, `session` (sign in again).
   */
  enableTotp(input: BodyInputOf<typeof mfa.enableTotp>): Promise<string[]>;
  /**
   * Admin (`manage_users`), not in the contract: resets another user's two-step verification: their
   * TOTP credential and recovery codes are deleted, wrong-code lock-outs cleared, every session
   * ended; they are mailed. FORBIDDEN for one's own account, NOT_FOUND, CONFLICT when there is nothing to reset.
   */
  resetUserMfa(userId: string): Promise<MfaResetResult>;
  /**
   * Admin (`manage_users`), not in the contract: the admin console's calls (sdk/src/adminConsole.ts),
   * and `webhooks` and `serviceAccounts` for other systems' access (sdk/src/integrations.ts).
   */
  admin: AdminConsoleClient & IntegrationsAdminClient;
  /** Not in the contract: how many unused recovery codes the signed-in user has (0 while MFA is off). */
  recoveryCodesRemaining(): Promise<number>;
  /**
   * Not in the contract: replaces every recovery code with 10 new ones, returned this once. Needs the
   * password and a current TOTP code (INVALID_CREDENTIALS, INVALID_MFA_CODE, CONFLICT when MFA is off).
   * An account without a password sends none: it needs a sign-in of the last 10 minutes instead
   * (else 401 INVALID_CREDENTIALS, detail field `session`).
   */
  regenerateRecoveryCodes(input: BodyInputOf<typeof mfa.regenerateRecoveryCodes>): Promise<string[]>;
  /** Not in the contract: a new display name (1 to 100 characters); returns the user, and `getUser()` has it too. */
  updateProfile(input: BodyInputOf<typeof auth.updateMe>): Promise<User>;
  /**
   * Not in the contract: asks to move the account to `newEmail`. Send `password` (an account with
   * one; an account without needs a sign-in of the last 10 minutes instead). Resolves once accepted,
   * whether or not the address is free (the API does not tell); nothing changes until the link
   * mailed to the new address is confirmed with `confirmEmailChange`.
   */
  changeEmail(input: BodyInputOf<typeof account.requestEmailChange>): Promise<void>;
  /**
   * Not in the contract: the token of that link; needs no session. Returns the user with the new
   * address (and `getUser()` has it when that user is signed in here). INVALID_TOKEN when unknown,
   * used or expired; EMAIL_TAKEN when another account took the address meanwhile.
   */
  confirmEmailChange(token: string): Promise<User>;
  /**
   * Not in the contract: deletes the signed-in user's account for good. Send `password` (an account
   * with one) and, with MFA on, `code` or `recoveryCode`; an account without a password needs a
   * sign-in of the last 10 minutes instead (else 401 INVALID_CREDENTIALS, detail field `session`).
   * On success the client is signed out, here and in other tabs, as by `logout()`.
   */
  deleteAccount(input?: DeleteAccountInput): Promise<void>;
  /**
   * Not in the contract: starts linking a sign-in provider (`google`, `github`, `oidc`) to this
   * account and returns the provider URL to navigate to (`window.location.assign(url)`); the
   * provider sends the browser back to `/settings/security?linked=<provider>` (or `?error=<code>`).
   * Only from a browser that signed in (the API checks its HttpOnly session cookie: 403 FORBIDDEN
   * otherwise) and with the same proof as `deleteAccount`: the password (an account without one: a
   * sign-in of the last 10 minutes, else 401 INVALID_CREDENTIALS with detail field `session`), and a
   * `code` or `recoveryCode` when MFA is on.
   */
  linkProvider(provider: string, proof?: BodyInputOf<typeof oauth.startLink>): Promise<ResponseOf<typeof oauth.startLink>>;
  /**
   * Not in the contract: creation options for a new passkey, after re-authentication (`password`, or
   * a sign-in of the last 10 minutes without one; with MFA on also `code` or `recoveryCode`). Hand
   * them to the browser (`addPasskey` in `@portcullis/sdk/passkeys` does both steps).
   */
  passkeyRegistrationOptions(proof?: PasskeyProof): Promise<WebAuthnOptionsJSON>;
  /** Not in the contract: stores the credential the browser made from those options. */
  registerPasskey(input: { response: WebAuthnCredentialJSON; name?: string }): Promise<Passkey>;
  /** Not in the contract: the signed-in user's passkeys, newest first. */
  passkeys(): Promise<Passkey[]>;
  renamePasskey(id: string, name: string): Promise<Passkey>;
  /** CONFLICT when it is the account's last way to sign in. */
  deletePasskey(id: string): Promise<void>;
  /** Not in the contract: request options for a discoverable passkey, and the attempt they are bound to. */
  passkeySignInOptions(): Promise<{ options: WebAuthnOptionsJSON; attemptId: string }>;
  /** Not in the contract: signs in with the browser's assertion (INVALID_CREDENTIALS on any refusal). */
  signInWithPasskeyResponse(input: { attemptId: string; response: WebAuthnCredentialJSON }): Promise<SignedIn>;
  /** Not in the contract: options for a passkey as the second factor of a login that answered `passkey: true`. */
  passkeyMfaOptions(mfaToken: string): Promise<WebAuthnOptionsJSON>;
  loginMfaPasskey(input: { mfaToken: string; response: WebAuthnCredentialJSON }): Promise<SignedIn>;
  /** Not in the contract: which ways of signing in the server offers. */
  signInMethods(): Promise<SignInMethods>;
  /** Not in the contract (EMAIL_SIGNIN): mails a code and a link; resolves the same whether or not the address has an account. */
  requestEmailSignIn(email: string): Promise<void>;
  /** Not in the contract: signs in with the mailed code (or the link's token); may ask for the second factor as login does. */
  redeemEmailSignIn(input: EmailSignInRedeemInput): Promise<LoginResult>;
  /**
   * Silent refresh on page load: the user, or null when there is no session. Never emits onSessionEnd.
   * Calls made while it runs (`fetch()`, the typed methods) wait for it and carry its token.
   */
  init(): Promise<User | null>;
  /** Same as `init()`. */
  restore(): Promise<User | null>;
  getUser(): User | null;
  getAccessToken(): string | null;
  isAuthenticated(): boolean;
  /** Body transport only: the current refresh token, for a CLI that stores it itself. */
  getRefreshToken(): string | null;
  /**
   * `fetch` of a path relative to `baseUrl` (absolute URLs are refused, so the token cannot leak
   * to another origin), with the bearer token, refreshing and retrying once on a 401 about the
   * token. Resolves to the Response (also a 401 when the session is over); rejects with an
   * AuthError NETWORK_ERROR when there is no answer. A retried request re-sends `init.body`, so
   * use a string, Blob, FormData or URLSearchParams body rather than a one-shot stream.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  onSessionEnd(listener: SessionEndListener): () => void;
  /** Stop timers and cross-tab messaging for good (tests, short-lived scripts); calls still work. */
  close(): void;
  /**
   * Not in the contract (issue 16): a new access token of the same session, such as the answer of
   * switching the active organization; used from then on, and shared with other tabs.
   */
  adoptAccessToken(result: { accessToken: string; expiresIn: number }): void;
}
