/** Helpers shared by the core contract tests: cookie attributes, JWT parts, small waits. */
import { User } from '@portcullis/contract';

/**
 * The core tests register and log in many times from one address; the hardening limits are
 * tested on their own, so these servers run with every limit off.
 */
export const CORE_ENV = { RATE_LIMITS: 'off' } as const;

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flag attributes map to `true`. */
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...rest] = header.split(';');
  const eq = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [k, ...v] = part.trim().split('=');
    if (k) attributes[k.toLowerCase()] = v.length ? v.join('=') : true;
  }
  return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1), attributes };
}

/** The Set-Cookie for `name`, parsed; undefined when the response did not set it. */
export function findCookie(cookies: string[], name: string): SetCookie | undefined {
  return cookies.map(parseSetCookie).find((c) => c.name === name);
}

export const b64url = (data: string | Buffer | object) =>
  Buffer.from(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data)).toString('base64url');

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
  const [h, p, s] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), payload: JSON.parse(Buffer.from(p!, 'base64url').toString()), signature: s! };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The fields of a `user` in any answer, from the contract's schema (never a hand list), sorted. */
export const USER_KEYS = Object.keys(User.shape).sort();
