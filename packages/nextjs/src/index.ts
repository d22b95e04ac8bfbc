// @portcullis/nextjs: the session of a request on the server (Server Components, route handlers,
// server actions). The route guard is in '@portcullis/nextjs/proxy'.
export { getSession, SessionUnavailableError } from './getSession';
export { apiUrlOf, checkSession, isSessionEndReason, parseSessionUser, SESSION_COOKIE, SESSION_END_REASONS, SESSION_ENDED_HEADER } from './session';
export type { PortcullisSession, SessionCheck, SessionEndedReason, SessionOptions } from './session';
export { withAccessToken } from './route';
export type { RouteAuth, RouteHandler } from './route';
