// Server components: the admin pages' gate. The role comes from the server's own session check
// (proxy.ts → GET /api/auth/session), never from the browser, so a non-admin gets the 403 page
// (HTTP 403) before any admin HTML is rendered. The API enforces the same rule on every call.
import { hasPermission, type User } from '@portcullis/sdk';
import { cookies, headers } from 'next/headers';
import { forbidden } from 'next/navigation';
import { cache } from 'react';
import { requireUser } from './session';
import { ADMIN_MFA_MISSING_HEADER, adminMfaMissing, checkSession, SESSION_COOKIE } from './session-check';

/**
 * True for an admin whose session lacks the second factor that the API's ADMIN_REQUIRE_MFA asks
 * for. proxy.ts has asked the API already and says so in a header; only without it (a request the
 * proxy did not see) is the API asked again. Cached per request, for app/forbidden.tsx.
 */
export const adminNeedsMfa = cache(async (): Promise<boolean> => {
  const fromProxy = (await headers()).get(ADMIN_MFA_MISSING_HEADER);
  if (fromProxy !== null) return fromProxy === '1';
  const state = await checkSession((await cookies()).get(SESSION_COOKIE)?.value);
  if (state.kind === 'unavailable') throw new Error('The sign-in service did not answer.');
  return adminMfaMissing(state);
});

export async function requireAdmin(path: string): Promise<User> {
  const user = await requireUser(path);
  if (!hasPermission(user.role, 'manage_users') || (await adminNeedsMfa())) forbidden();
  return user;
}
