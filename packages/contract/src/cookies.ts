// The names of the cookies the API sets for browsers, spelled once for the API (which sets and
// reads them), the OpenAPI document, and the web app's server and @portcullis/nextjs (which send
// the session cookie to GET /api/auth/session). Plain data, safe in a browser bundle.

export const COOKIE_NAMES = {
  /** The contract's refresh token cookie: HttpOnly, SameSite=Strict, Path=/api/auth. */
  refresh: 'refresh_token',
  /** The signed session id the web app's server checks with the API (HttpOnly, SameSite=Lax, Path=/). */
  session: 'portcullis_session',
} as const;
