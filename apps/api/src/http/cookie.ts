import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import type { Config } from '../config.js';

/**
 * One definition per cookie the API sets (after oslo's cookie controller): its name, path,
 * SameSite and lifetime are written once, and setting, clearing and reading all go through it, so
 * a clear can never miss the attributes it must repeat for the browser to drop the cookie.
 *
 * Every cookie is HttpOnly unless a definition says otherwise; Secure follows COOKIE_SECURE.
 */

export type CookieConfig = Pick<Config, 'COOKIE_SECURE' | 'JWT_REFRESH_TTL'>;

/** What setting and clearing need from the application: satisfied by AppContext. */
export interface CookieScope {
  config: CookieConfig;
}

export interface CookieDefinition {
  name: string;
  path: string;
  sameSite: 'strict' | 'lax';
  /** Max-Age in whole seconds, fixed or read from the configuration. */
  maxAge: number | ((config: CookieConfig) => number);
  httpOnly?: boolean;
}

export interface CookieController {
  readonly name: string;
  set(scope: CookieScope, res: Response, value: string): void;
  clear(scope: CookieScope, res: Response): void;
  /** The value the browser sent; undefined for none, an empty one, or a malformed Cookie header. */
  read(req: Request): string | undefined;
}

export function defineCookie(definition: CookieDefinition): CookieController {
  const { name, path, sameSite, maxAge, httpOnly = true } = definition;
  const attributes = (scope: CookieScope, seconds: number) => ({ httpOnly, sameSite, path, maxAge: seconds, secure: scope.config.COOKIE_SECURE });
  return {
    name,
    set(scope, res, value) {
      const seconds = typeof maxAge === 'number' ? maxAge : maxAge(scope.config);
      res.append('Set-Cookie', serialize(name, value, attributes(scope, seconds)));
    },
    clear(scope, res) {
      res.append('Set-Cookie', serialize(name, '', attributes(scope, 0)));
    },
    read(req) {
      return readCookies(req)[name] || undefined;
    },
  };
}

/** Every cookie of the request by name; none for a malformed header (it carries nothing we trust). */
export function readCookies(req: Request): Record<string, string | undefined> {
  const header = req.headers.cookie;
  if (!header) return {};
  try {
    return parse(header);
  } catch {
    return {};
  }
}
