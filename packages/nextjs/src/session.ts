// Who is signed in, asked of the API. Framework-free (no `next` import), so it runs anywhere.
//
// The browser holds `portcullis_session` (HttpOnly), a session id signed by the API; only the API
// can check it. We send that one cookie to `GET /api/auth/session`, which answers
// `200 { user, session }` for a live session and 401 otherwise. It returns no token and rotates
// nothing, so a page render never touches the refresh token.
import type { User } from '@portcullis/sdk';
import { parseSessionAnswer, parseUser, SESSION_COOKIE } from '@portcullis/sdk/session-answer';

export { SESSION_COOKIE };

/**
 * Why a session ended, as the API names it on a 401 from `GET /api/auth/session` (the
 * `X-Session-Ended` header), so a sign-in page can tell the person (`/login?reason=<code>`).
 */
export const SESSION_END_REASONS = ['revoked', 'signed_out_everywhere', 'password_changed', 'locked', 'expired', 'signed_out'] as const;
export type SessionEndedReason = (typeof SESSION_END_REASONS)[number];
export const SESSION_ENDED_HEADER = 'x-session-ended';

export function isSessionEndReason(value: unknown): value is SessionEndedReason {
  return typeof value === 'string' && (SESSION_END_REASONS as readonly string[]).includes(value);
}

export interface PortcullisSession {
  user: User;
  /** ISO time at which the session ends unless refreshed. */
  expiresAt: string;
  /** How the session was signed in (`pwd`, `fed`, `otp`, `mfa`); empty when the API does not say. */
  amr: string[];
  /** The API's ADMIN_REQUIRE_MFA: it refuses admin calls from a session without 'mfa' in `amr`. */
  adminRequiresMfa: boolean;
}

export type SessionCheck =
  | { kind: 'signed-in'; session: PortcullisSession }
  /** `ended`: why the cookie's session ended, when the API says (for `/login?reason=`). */
  | { kind: 'signed-out'; ended?: SessionEndedReason }
  /** The API did not answer (down, 5xx, timeout): neither yes nor no. */
  | { kind: 'unavailable' };

export interface SessionOptions {
  /** Origin of the API as this server reaches it. Default: env PORTCULLIS_API_URL, else API_URL, else http://127.0.0.1:4000. */
  apiUrl?: string;
  /** Default 5000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function apiUrlOf(options: SessionOptions = {}): string {
  return (options.apiUrl ?? process.env.PORTCULLIS_API_URL ?? process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

/** Asks the API whether this session cookie value belongs to a live session. */
export async function checkSession(sessionCookie: string | undefined, options: SessionOptions = {}): Promise<SessionCheck> {
  if (!sessionCookie) return { kind: 'signed-out' };
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${apiUrlOf(options)}/api/auth/session`, {
      // Only the session cookie: the API needs nothing else, so it gets nothing else.
      headers: { cookie: `${SESSION_COOKIE}=${sessionCookie}`, accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch {
    return { kind: 'unavailable' };
  }
  if (res.status === 401) {
    const ended = res.headers.get(SESSION_ENDED_HEADER);
    return isSessionEndReason(ended) ? { kind: 'signed-out', ended } : { kind: 'signed-out' };
  }
  if (!res.ok) return { kind: 'unavailable' };
  const answer = parseSessionAnswer(await res.json().catch(() => null));
  if (!answer) return { kind: 'unavailable' };
  return { kind: 'signed-in', session: answer };
}

/**
 * Keeps exactly the contract's `user` fields, checked: nothing else travels to the page. Exported
 * for a user that crossed a trust boundary as JSON (e.g. a request header set by your proxy).
 * One reader for the SDK and this package (@portcullis/sdk/session-answer).
 */
export const parseSessionUser: (value: unknown) => User | null = parseUser;
