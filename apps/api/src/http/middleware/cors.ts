import corsMiddleware from 'cors';
import type { RequestHandler } from 'express';

/** Only listed origins, echoed exactly and with credentials; never `*`. */
export const cors = (allowedOrigins: string[]): RequestHandler => {
  const allowed = new Set(allowedOrigins);
  return corsMiddleware({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'X-Token-Transport'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  });
};
