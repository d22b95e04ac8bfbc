import corsMiddleware from 'cors';
import type { RequestHandler } from 'express';

/** Only listed origins, echoed exactly and with credentials; never `*`. */
export const cors = (allowedOrigins: string[]): RequestHandler => {
  const allowed = new Set(allowedOrigins);
  const listed = corsMiddleware({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'X-Token-Transport'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate', 'X-Session-Ended'],
    maxAge: 600,
  });
  return (req, res, next) => {
    // Every answer depends on Origin, also one without CORS headers (no or an unlisted Origin):
    // without Vary a shared cache could hand one origin's answer, or its lack of CORS headers,
    // to another. The cors package adds Vary only when it allows the origin. Nothing earlier in
    // the chain sets Vary, so it is usually set outright instead of parsed and merged (res.vary).
    if (res.getHeader('Vary') === undefined) res.setHeader('Vary', 'Origin');
    else res.vary('Origin');
    // No Origin: the package would ask the origin callback (false) and call next() having set
    // nothing, after copying its options; skip that work on every same-origin and server request.
    if (req.headers.origin === undefined) return next();
    listed(req, res, next);
  };
};
