import express, { type RequestHandler } from 'express';
import { ApiError } from '../../services/errors.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

/**
 * A body announced larger than the limit is refused on its header, before a byte of it is read:
 * body-parser would read (and discard) all of it first, a gigabyte if so announced. The
 * connection is closed after the answer, since the unread body still follows on it.
 */
const refuseAnnouncedOversize: RequestHandler = (req, res, next) => {
  const length = Number(req.get('content-length'));
  if (Number.isFinite(length) && length > BODY_LIMIT_BYTES) {
    res.setHeader('Connection', 'close');
    next(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 16 KiB.'));
    return;
  }
  next();
};

/** A body must be JSON (415 otherwise) and at most 16 KiB (413); body-parser's errors map in errorHandler. */
export const bodyParsing = (): RequestHandler[] => [
  refuseAnnouncedOversize,
  (req, _res, next) => {
    if (hasBody(req) && !req.is('application/json')) {
      next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'));
      return;
    }
    next();
  },
  express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: 'application/json' }),
];
