import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, serviceUnavailable } from '../../services/errors.js';
import { checkErrorResponse, responseChecksEnabled } from '../responseCheck.js';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}.`));
};

/** body-parser's errors, by their `type`. */
const BODY_ERRORS: Record<string, () => ApiError> = {
  'entity.too.large': () => new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 16 KiB.'),
  'entity.parse.failed': () => new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON.'),
  'encoding.unsupported': () => new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as UTF-8 JSON.'),
  'charset.unsupported': () => new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as UTF-8 JSON.'),
  'request.aborted': () => new ApiError(400, 'INVALID_JSON', 'The request body was incomplete.'),
  'request.size.invalid': () => new ApiError(400, 'INVALID_JSON', 'The request body length does not match Content-Length.'),
};

const DB_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && DB_UNAVAILABLE.has(code)) return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connect ECONNREFUSED|is not queryable/i.test(message)
    )
      return true;
  }
  return false;
}

/**
 * PostgreSQL "data exception" codes that only a value from the request can cause (a NUL byte in a
 * string, a malformed uuid, an out-of-range number): the caller's mistake, so a 400, not a 500.
 */
const BAD_INPUT_SQLSTATES = new Set(['22021', '22P05', '22P02', '22001', '22003', '22007', '22008']);

function isBadInput(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && BAD_INPUT_SQLSTATES.has(code)) return true;
  }
  return false;
}

/** The contract's one error shape; never a stack trace or SQL text. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let apiError: ApiError;
  const bodyError = typeof error?.type === 'string' ? BODY_ERRORS[error.type] : undefined;
  if (error instanceof ApiError) apiError = error;
  else if (bodyError) apiError = bodyError();
  // The router could not percent-decode a path parameter (say `%c0%af`): the URL is malformed.
  else if (error instanceof URIError || (error?.status === 400 && /^Failed to decode param/.test(String(error?.message)))) {
    apiError = new ApiError(400, 'VALIDATION_FAILED', 'The URL contains invalid percent-encoding.');
  } else if (isDatabaseUnavailable(error)) {
    req.log?.warn({ err: { message: error?.message, code: error?.code } }, 'database unavailable');
    apiError = serviceUnavailable(undefined, error);
  } else if (isBadInput(error)) {
    req.log?.warn({ err: { message: error?.message } }, 'request value refused by the database');
    apiError = new ApiError(400, 'VALIDATION_FAILED', 'A value in the request contains characters or a format that is not accepted (such as a NUL character).');
  } else {
    req.log?.error({ err: error }, 'unexpected error');
    apiError = new ApiError(500, 'INTERNAL', 'Something went wrong on our side.');
  }
  // The request log line carries the refusal's code: every failed authentication and
  // access-control decision is logged with its request id (ASVS 7.2.1, 7.2.2).
  res.locals.errorCode = apiError.code;
  if (res.headersSent) return;
  // RFC 7235 and the contract: every 401 names its scheme; one not caused by a bearer token says just `Bearer`.
  for (const [name, value] of Object.entries(apiError.headers())) res.setHeader(name, value);
  const body = { error: { code: apiError.code, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}) }, requestId: req.id };
  if (checkingErrors) {
    try {
      checkErrorResponse(apiError.status, body);
    } catch (drift) {
      req.log?.error({ err: drift }, 'error response drifted from the contract');
      res.status(500).json({ error: { code: 'INTERNAL', message: (drift as Error).message }, requestId: req.id });
      return;
    }
  }
  res.status(apiError.status).json(body);
};

const checkingErrors = responseChecksEnabled();
