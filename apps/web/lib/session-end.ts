// Why a session ended, as `/login?reason=<code>` explains it: @portcullis/nextjs's list (the API
// names it on a 401 from GET /api/auth/session, the `X-Session-Ended` header). The web's server
// (proxy.ts) and the browser (AuthProvider) both send people to sign-in with it.
// There is no `role_changed`: a role change does not end a session. Its old-role tokens are refused
// and the client silently refreshes into one with the new role (e2e access.test.ts).
export { isSessionEndReason, SESSION_END_REASONS, SESSION_ENDED_HEADER } from '@portcullis/nextjs/session';
export type { SessionEndedReason as SessionEndReason } from '@portcullis/nextjs/session';
