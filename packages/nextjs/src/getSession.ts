// getSession() for Server Components, route handlers and server actions: reads the request's
// session cookie through next/headers and asks the API (session.ts).
import { cookies } from 'next/headers';
import { checkSession, SESSION_COOKIE, type PortcullisSession, type SessionOptions } from './session';

/** The API could not say whether the session is live: neither signed in nor out. */
export class SessionUnavailableError extends Error {
  constructor() {
    super('Portcullis: the API did not answer the session check');
    this.name = 'SessionUnavailableError';
  }
}

/**
 * The live session of this request, or null when signed out. Throws SessionUnavailableError when
 * the API is down, so a protected page shows an error instead of a wrong answer either way.
 */
export async function getSession(options?: SessionOptions): Promise<PortcullisSession | null> {
  const cookie = (await cookies()).get(SESSION_COOKIE)?.value;
  const state = await checkSession(cookie, options);
  if (state.kind === 'unavailable') throw new SessionUnavailableError();
  return state.kind === 'signed-in' ? state.session : null;
}
