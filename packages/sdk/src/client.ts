// createAuthClient: the typed account calls (sign-in, MFA, sessions, password, profile, email
// address, recovery codes), each a thin call over the session in session.ts, which holds the tokens and refreshes them.
import { adminConsoleCalls } from '#sdk/adminConsole';
import { integrationsAdminCalls } from '#sdk/integrations';
import { joinUrl, jsonPost, readJson, send } from '#sdk/http';
import { createClientSession } from '#sdk/session';
import type {
  ApiKey,
  AuthClient,
  AuthClientOptions,
  AuthResult,
  CreatedApiKey,
  LoginResult,
  MfaChallenge,
  MfaResetResult,
  Passkey,
  Session,
  SignInMethods,
  TotpSetup,
  User,
  WebAuthnOptionsJSON,
} from '#sdk/types';

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const session = createClientSession(options);

  async function authedJson<T>(path: string, init: RequestInit = {}): Promise<T> {
    return readJson<T>(await session.fetch(path, init));
  }

  /** The API revoked every session and cleared the cookie: sign out here and in other tabs. */
  function signedOutEverywhere(): void {
    session.clear();
    session.announceSignOut();
  }

  /** A login's answer: signed in, or the MFA challenge (with `passkey: true` when a passkey can answer it). */
  function loginResult(result: AuthResult | MfaChallenge): LoginResult | Promise<LoginResult> {
    if ('mfaRequired' in result && result.mfaRequired === true) {
      return { mfaRequired: true, mfaToken: result.mfaToken, methods: result.methods, ...(result.passkey && { passkey: true as const }) };
    }
    return session.signedIn(result as AuthResult);
  }

  return {
    async listApiKeys() {
      return (await authedJson<{ apiKeys: ApiKey[] }>('/api/auth/api-keys')).apiKeys;
    },
    async createApiKey(input) {
      return authedJson<CreatedApiKey>('/api/auth/api-keys', jsonPost(input));
    },
    async revokeApiKey(id) {
      await authedJson<void>(`/api/auth/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    async register({ email, password, displayName }) {
      return session.signedIn(await session.post<AuthResult>('/api/auth/register', { email, password, displayName }, true));
    },
    async login({ email, password }): Promise<LoginResult> {
      const result = await session.post<AuthResult | MfaChallenge>('/api/auth/login', { email, password }, true);
      return loginResult(result);
    },
    async loginMfa(input) {
      const body = 'code' in input ? { mfaToken: input.mfaToken, code: input.code } : { mfaToken: input.mfaToken, recoveryCode: input.recoveryCode };
      return session.signedIn(await session.post<AuthResult>('/api/auth/login/mfa', body, true));
    },
    async logout() {
      // Let a running refresh finish first, so the newest refresh token is the one revoked.
      await session.refreshSettled();
      const body = session.refreshTokenBody();
      session.clear(); // signed out here whatever the network does
      try {
        await session.post<void>('/api/auth/logout', body);
      } finally {
        session.announceSignOut();
      }
    },
    async logoutAll() {
      await authedJson<void>('/api/auth/logout-all', jsonPost({}));
      signedOutEverywhere();
    },
    async me() {
      const result = await authedJson<{ user: User }>('/api/auth/me');
      session.cacheUser(result.user);
      return result.user;
    },
    async sessions() {
      return (await authedJson<{ sessions: Session[] }>('/api/auth/sessions')).sessions;
    },
    async revokeSession(id) {
      await authedJson<void>(`/api/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    refresh: session.refresh,
    async changePassword({ currentPassword, newPassword }) {
      await authedJson<void>('/api/auth/password/change', jsonPost({ currentPassword, newPassword }));
    },
    async setupTotp() {
      return authedJson<TotpSetup>('/api/auth/mfa/totp/setup', jsonPost({}));
    },
    async enableTotp({ code, password }) {
      const { recoveryCodes } = await authedJson<{ recoveryCodes: string[] }>('/api/auth/mfa/totp/enable', jsonPost({ code, password }));
      const user = session.getUser();
      if (user) session.cacheUser({ ...user, mfaEnabled: true });
      return recoveryCodes;
    },
    async resetUserMfa(userId) {
      return authedJson<MfaResetResult>(`/api/admin/users/${encodeURIComponent(userId)}/mfa/reset`, jsonPost({}));
    },
    admin: { ...adminConsoleCalls((path, init) => session.fetch(path, init)), ...integrationsAdminCalls((path, init) => session.fetch(path, init)) },
    async recoveryCodesRemaining() {
      return (await authedJson<{ remaining: number }>('/api/auth/mfa/recovery-codes')).remaining;
    },
    async regenerateRecoveryCodes({ password, code }) {
      return (await authedJson<{ recoveryCodes: string[] }>('/api/auth/mfa/recovery-codes/regenerate', jsonPost({ password, code }))).recoveryCodes;
    },
    async updateProfile({ displayName }) {
      const result = await authedJson<{ user: User }>('/api/auth/me', { ...jsonPost({ displayName }), method: 'PATCH' });
      session.cacheUser(result.user);
      return result.user;
    },
    async changeEmail({ newEmail, password }) {
      await authedJson<void>('/api/auth/email/change', jsonPost({ newEmail, password }));
    },
    async confirmEmailChange(token) {
      // No bearer: the link may be opened on a device where someone else, or no one, is signed in.
      const { user } = await session.post<{ user: User }>('/api/auth/email/change/confirm', { token });
      if (session.getUser()?.id === user.id) session.cacheUser(user);
      return user;
    },
    async deleteAccount({ password, code, recoveryCode } = {}) {
      await authedJson<void>('/api/auth/me', { ...jsonPost({ password, code, recoveryCode }), method: 'DELETE' });
      signedOutEverywhere(); // as after logoutAll
    },
    async linkProvider(provider, { password, code, recoveryCode } = {}) {
      return authedJson<{ url: string }>(`/api/auth/oauth/${encodeURIComponent(provider)}/link`, jsonPost({ password, code, recoveryCode }));
    },
    async passkeyRegistrationOptions(proof = {}) {
      return (await authedJson<{ options: WebAuthnOptionsJSON }>('/api/auth/passkeys/registration/options', jsonPost(proof))).options;
    },
    async registerPasskey({ response, name }) {
      return (await authedJson<{ passkey: Passkey }>('/api/auth/passkeys', jsonPost({ response, name }))).passkey;
    },
    async passkeys() {
      return (await authedJson<{ passkeys: Passkey[] }>('/api/auth/passkeys')).passkeys;
    },
    async renamePasskey(id, name) {
      return (await authedJson<{ passkey: Passkey }>(`/api/auth/passkeys/${encodeURIComponent(id)}`, { ...jsonPost({ name }), method: 'PATCH' })).passkey;
    },
    async deletePasskey(id) {
      await authedJson<void>(`/api/auth/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    async passkeySignInOptions() {
      return session.post<{ options: WebAuthnOptionsJSON; attemptId: string }>('/api/auth/passkeys/sign-in/options', {});
    },
    async signInWithPasskeyResponse({ attemptId, response }) {
      return session.signedIn(await session.post<AuthResult>('/api/auth/passkeys/sign-in', { attemptId, response }, true));
    },
    async passkeyMfaOptions(mfaToken) {
      return (await session.post<{ options: WebAuthnOptionsJSON }>('/api/auth/login/mfa/passkey/options', { mfaToken })).options;
    },
    async loginMfaPasskey({ mfaToken, response }) {
      return session.signedIn(await session.post<AuthResult>('/api/auth/login/mfa/passkey', { mfaToken, response }, true));
    },
    async signInMethods() {
      // Public: no token, so not through session.fetch.
      const fetchFn = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
      return readJson<SignInMethods>(await send(fetchFn, joinUrl(options.baseUrl, '/api/auth/sign-in-methods'), { headers: { Accept: 'application/json' } }));
    },
    async requestEmailSignIn(email) {
      await session.post<void>('/api/auth/email-sign-in', { email });
    },
    async redeemEmailSignIn(input) {
      return loginResult(await session.post<AuthResult | MfaChallenge>('/api/auth/email-sign-in/redeem', input, true));
    },
    init: session.restore,
    restore: session.restore,
    getUser: session.getUser,
    getAccessToken: session.getAccessToken,
    isAuthenticated: session.isAuthenticated,
    getRefreshToken: session.getRefreshToken,
    fetch: session.fetch,
    onSessionEnd: session.onSessionEnd,
    close: session.close,
    adoptAccessToken: session.adoptAccessToken,
  };
}
