// createAuthClient: the typed account calls (sign-in, MFA, sessions, password, profile, email
// address, recovery codes), each a thin call over the session in session.ts, which holds the tokens and refreshes them.
import { jsonPost, readJson } from '#sdk/http';
import { createClientSession } from '#sdk/session';
import type { AuthClient, AuthClientOptions, AuthResult, LoginResult, MfaChallenge, MfaResetResult, Session, TotpSetup, User } from '#sdk/types';

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

  return {
    async register({ email, password, displayName }) {
      return session.signedIn(await session.post<AuthResult>('/api/auth/register', { email, password, displayName }, true));
    },
    async login({ email, password }): Promise<LoginResult> {
      const result = await session.post<AuthResult | MfaChallenge>('/api/auth/login', { email, password }, true);
      if ('mfaRequired' in result && result.mfaRequired === true) {
        return { mfaRequired: true, mfaToken: result.mfaToken, methods: result.methods };
      }
      return session.signedIn(result as AuthResult);
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
