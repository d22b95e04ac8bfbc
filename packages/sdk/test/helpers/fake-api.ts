// A scripted stand-in for the Portcullis API: records every call and answers like the
// contract does, with knobs for the failures the client must survive.
import type { AuthResult, FetchLike, User } from '../../src/index.js';

export interface RecordedCall {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export const testUser: User = {
  id: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'user',
  emailVerified: false,
  mfaEnabled: false,
  createdAt: '2025-01-01T00:00:00.000Z',
};

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function apiError(status: number, code: string, message = code, requestId = 'req-1'): Response {
  return json(status, { error: { code, message }, requestId }, { 'x-request-id': requestId });
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export interface FakeApiKnobs {
  /** expiresIn (seconds) of issued access tokens. */
  expiresIn: number;
  /** When set, /refresh answers this error. */
  refreshError: { status: number; code: string } | null;
  /** When set, /refresh waits for it before answering. */
  refreshGate: Promise<void> | null;
  /** Refuse every access token, even freshly issued ones (a revoked account). */
  rejectAllTokens: boolean;
  /** An email that gets the MFA challenge at login. */
  mfaEmail: string;
}

export function createFakeApi(knobs: Partial<FakeApiKnobs> = {}) {
  const k: FakeApiKnobs = { expiresIn: 900, refreshError: null, refreshGate: null, rejectAllTokens: false, mfaEmail: 'mfa@example.com', ...knobs };
  const calls: RecordedCall[] = [];
  const validTokens = new Set<string>();
  let issued = 0;
  let currentRefreshToken: string | null = null;

  function issue(bodyTransport: boolean, status = 200): Response {
    issued++;
    const result: AuthResult = { user: testUser, accessToken: `at-${issued}`, tokenType: 'Bearer', expiresIn: k.expiresIn };
    validTokens.add(result.accessToken);
    currentRefreshToken = `rt-${issued}`;
    if (bodyTransport) result.refreshToken = currentRefreshToken;
    return json(status, result);
  }

  function bearer(call: RecordedCall): Response | null {
    const header = call.headers.get('authorization');
    if (!header) return apiError(401, 'UNAUTHENTICATED');
    const token = header.replace(/^Bearer /, '');
    if (k.rejectAllTokens || !validTokens.has(token)) return apiError(401, 'INVALID_TOKEN');
    return null;
  }

  async function route(call: RecordedCall): Promise<Response> {
    const bodyTransport = call.headers.get('x-token-transport') === 'body';
    const body = (call.body ?? {}) as Record<string, unknown>;
    const key = `${call.method} ${call.path}`;
    switch (key) {
      case 'POST /api/auth/register':
        return issue(bodyTransport, 201);
      case 'POST /api/auth/login':
        if (body.email === k.mfaEmail) return json(200, { mfaRequired: true, mfaToken: 'mfa-1', methods: ['totp', 'recovery_code'] });
        if (body.password !== 'Correct-horse1!') return apiError(401, 'INVALID_CREDENTIALS');
        return issue(bodyTransport);
      case 'POST /api/auth/login/mfa':
        return body.code === '123456' || body.recoveryCode === 'rc-1' ? issue(bodyTransport) : apiError(401, 'INVALID_MFA_CODE');
      case 'POST /api/auth/refresh':
        if (k.refreshGate) await k.refreshGate;
        if (k.refreshError) return apiError(k.refreshError.status, k.refreshError.code);
        if (bodyTransport && body.refreshToken !== currentRefreshToken) return apiError(401, 'INVALID_TOKEN');
        return issue(bodyTransport);
      case 'POST /api/auth/logout':
        return json(204);
    }
    const denied = bearer(call);
    if (denied) return denied;
    switch (key) {
      case 'GET /api/auth/me':
        return json(200, { user: testUser });
      case 'PATCH /api/auth/me':
        return json(200, { user: { ...testUser, displayName: body.displayName } });
      case 'DELETE /api/auth/me':
        if (body.password !== 'Correct-horse1!') return apiError(401, 'INVALID_CREDENTIALS');
        validTokens.clear();
        return json(204);
      case 'GET /api/auth/sessions':
        return json(200, {
          sessions: [{ id: 's1', createdAt: 'x', lastActiveAt: 'x', expiresAt: 'x', ip: null, userAgent: null, device: null, current: true }],
        });
      case 'POST /api/auth/logout-all':
        validTokens.clear();
        return json(204);
      case 'POST /api/auth/password/change':
        return body.currentPassword === 'Correct-horse1!' ? json(204) : apiError(401, 'INVALID_CREDENTIALS');
      case 'GET /api/projects':
        return json(200, { projects: [] });
      case 'POST /api/auth/oauth/oidc/link':
        return body.password === 'Correct-horse1!' ? json(200, { url: 'https://idp.example/authorize?state=s1' }) : apiError(401, 'INVALID_CREDENTIALS');
    }
    if (call.method === 'DELETE' && call.path.startsWith('/api/auth/sessions/')) return json(204);
    return apiError(404, 'NOT_FOUND');
  }

  const fetch: FetchLike = async (input, init = {}) => {
    const url = new URL(input);
    const call: RecordedCall = {
      method: init.method ?? 'GET',
      path: url.pathname,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init.credentials,
    };
    calls.push(call);
    return route(call);
  };

  return {
    fetch,
    calls,
    knobs: k,
    /** Revoke every access token issued so far (refresh still works). */
    revokeAccessTokens: () => validTokens.clear(),
    count: (path: string) => calls.filter((c) => c.path === path).length,
  };
}

export type FakeApi = ReturnType<typeof createFakeApi>;
