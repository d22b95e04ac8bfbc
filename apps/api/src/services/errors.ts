/**
 * The error every layer throws for an expected failure. `code` is the contract's stable code and
 * `status` its HTTP status; anything else that escapes a handler is an unexpected `500 INTERNAL`.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'TOKEN_EXPIRED'
  | 'INVALID_TOKEN'
  | 'REFRESH_TOKEN_REUSED'
  | 'MFA_REQUIRED'
  | 'INVALID_MFA_CODE'
  | 'EMAIL_NOT_VERIFIED'
  | 'FORBIDDEN'
  | 'CSRF_REJECTED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'EMAIL_TAKEN'
  | 'LAST_ADMIN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const unauthenticated = () =>
  new ApiError(401, 'UNAUTHENTICATED', 'Sign in to continue.', undefined, { 'WWW-Authenticate': 'Bearer' });
export const invalidBearer = (message = 'The access token is invalid.') =>
  new ApiError(401, 'INVALID_TOKEN', message, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
export const expiredBearer = () =>
  new ApiError(401, 'TOKEN_EXPIRED', 'The access token has expired.', undefined, {
    'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
  });
export const invalidCredentials = () => new ApiError(401, 'INVALID_CREDENTIALS', 'The email or password is incorrect.');
export const forbidden = (message = 'You do not have permission to do this.') => new ApiError(403, 'FORBIDDEN', message);
export const notFound = (message = 'Not found.') => new ApiError(404, 'NOT_FOUND', message);
export const validationFailed = (details: FieldIssue[]) =>
  new ApiError(400, 'VALIDATION_FAILED', 'Some fields are invalid.', details);
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(429, 'RATE_LIMITED', 'Too many requests. Try again later.', undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
