// Why a session ended, as `/login?reason=<code>` explains it. The API names it on a 401 from
// GET /api/auth/session (the `X-Session-Ended` header, an extension); the web's server (proxy.ts)
// and the browser (AuthProvider) both send people to sign-in with it.
export const SESSION_END_REASONS = ['revoked', 'signed_out_everywhere', 'password_changed', 'role_changed', 'locked', 'expired', 'signed_out'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export const SESSION_ENDED_HEADER = 'x-session-ended';

export function isSessionEndReason(value: unknown): value is SessionEndReason {
  return typeof value === 'string' && (SESSION_END_REASONS as readonly string[]).includes(value);
}
