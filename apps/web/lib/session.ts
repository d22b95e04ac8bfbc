// Server components: who is signed in for this request.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { User } from '@portcullis/sdk';
import { loginUrlFor } from './redirect';
import { checkSession, decodeUserHeader, SESSION_COOKIE, SIGNED_OUT, USER_HEADER } from './session-check';

/**
 * The signed-in user, or null. Normally proxy.ts already asked the API and passed the answer
 * in USER_HEADER (a header no browser can set: it is stripped from every incoming request).
 * If proxy.ts did not run for this route, ask the API here. Cached per request.
 */
export const getSessionUser = cache(async (): Promise<User | null> => {
  const fromProxy = (await headers()).get(USER_HEADER);
  if (fromProxy === SIGNED_OUT) return null;
  if (fromProxy) return decodeUserHeader(fromProxy);
  const state = await checkSession((await cookies()).get(SESSION_COOKIE)?.value);
  return state.kind === 'signed-in' ? state.session.user : null;
});

/**
 * For protected pages: the user, or a redirect to sign-in that comes back to `path`.
 * proxy.ts already redirects before rendering; this second check keeps a page safe even if
 * someone narrows the proxy's matcher later.
 */
export async function requireUser(path: string): Promise<User> {
  const user = await getSessionUser();
  if (!user) redirect(loginUrlFor(path));
  return user;
}
