import express, { type RequestHandler } from 'express';
import { ApiError } from '../../services/errors.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

/** A body must be JSON (415 otherwise) and at most 16 KiB (413); body-parser's errors map in errorHandler. */
export const bodyParsing = (): RequestHandler[] => [
  (req, _res, next) => {
    if (hasBody(req) && !req.is('application/json')) {
      next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'));
      return;
    }
    next();
  },
  express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: 'application/json' }),
];
