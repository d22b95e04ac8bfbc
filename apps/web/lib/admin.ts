// Server components: the admin pages' gate. The role comes from the server's own session check
// (proxy.ts → GET /api/auth/session), never from the browser, so a non-admin gets the 403 page
// (HTTP 403) before any admin HTML is rendered. The API enforces the same rule on every call.
import { hasPermission, type User } from '@portcullis/sdk';
import { cookies } from 'next/headers';
import { forbidden } from 'next/navigation';
import { cache } from 'react';
import { requireUser } from './session';
import { checkSession, SESSION_COOKIE } from './session-check';

/**
 * True for an admin whose session lacks the second factor that the API's ADMIN_REQUIRE_MFA asks
 * for. The proxy's header carries only the user, so this asks the API once more (admin pages
 * only; cached per request, so app/forbidden.tsx can tell why without another call).
 */
export const adminNeedsMfa = cache(async (): Promise<boolean> => {
  const state = await checkSession((await cookies()).get(SESSION_COOKIE)?.value);
  if (state.kind === 'unavailable') throw new Error('The sign-in service did not answer.');
  if (state.kind !== 'signed-in' || !hasPermission(state.user.role, 'manage_users')) return false;
  return state.adminRequiresMfa && !state.amr.includes('mfa');
});

export async function requireAdmin(path: string): Promise<User> {
  const user = await requireUser(path);
  if (!hasPermission(user.role, 'manage_users') || (await adminNeedsMfa())) forbidden();
  return user;
}
