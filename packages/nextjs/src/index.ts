// @portcullis/nextjs: the session of a request on the server (Server Components, route handlers,
// server actions). The route guard is in '@portcullis/nextjs/proxy'.
export { getSession, SessionUnavailableError } from './getSession';
export { apiUrlOf, checkSession, SESSION_COOKIE } from './session';
export type { PortcullisSession, SessionCheck, SessionOptions } from './session';
