import type { Request } from 'express';
import type { RequestMeta } from '../context.js';

/** The client address (the socket's, unless TRUST_PROXY names the proxies) and user agent. */
export function requestMeta(req: Request): RequestMeta {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 512) ?? null };
}
