import { createHash } from 'node:crypto';

/**
 * The weak ETag Express put on every answer by default (the `etag` package: W/"<length in hex>-
 * <first 27 characters of the base64 SHA-1>"), now only on answers a cache may keep and revalidate.
 *
 * Why not on every answer (issue 12): most answers here are `Cache-Control: no-store`, which no
 * cache keeps, so no client ever sends their ETag back; computing it cost a SHA-1 per answer and
 * made Express turn the body into a Buffer, which Node then writes beside the headers as a second
 * chunk (one `writev`) instead of one string with them. `app.ts` turns Express's ETag off.
 */
export function weakEtag(body: string): string {
  const length = Buffer.byteLength(body, 'utf8');
  if (length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${length.toString(16)}-${createHash('sha1').update(body, 'utf8').digest('base64').substring(0, 27)}"`;
}
