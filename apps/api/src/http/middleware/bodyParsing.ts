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

/** The OAuth 2.0 token endpoint takes a form body (RFC 6749 4.4.2), as every OAuth client sends it. */
const FORM_PATHS = new Set(['/api/oauth/token']);

const requireJson: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is('application/json') && !(FORM_PATHS.has(req.path) && req.is('application/x-www-form-urlencoded'))) {
    next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'));
    return;
  }
  next();
};

/** A body must be JSON (415 otherwise) and at most 16 KiB (413); body-parser's errors map in errorHandler. */
export const bodyParsing = (): RequestHandler => {
  const json = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: 'application/json' });
  const form = express.urlencoded({ limit: BODY_LIMIT_BYTES, extended: false, type: 'application/x-www-form-urlencoded' });
  return (req, res, next) => {
    // No Content-Length and no Transfer-Encoding: no body (type-is's hasBody, body-parser's own
    // test), so none of the three steps below would do anything but what body-parser does here.
    // Most requests are such GETs: they skip the steps (issue 12, per-request work).
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      if (!('body' in req)) (req as { body?: unknown }).body = undefined;
      return next();
    }
    refuseAnnouncedOversize(req, res, (error?: unknown) => {
      if (error) return next(error);
      requireJson(req, res, (error2?: unknown) => {
        if (error2) return next(error2);
        if (FORM_PATHS.has(req.path) && req.is('application/x-www-form-urlencoded')) return form(req, res, next);
        json(req, res, next);
      });
    });
  };
};
