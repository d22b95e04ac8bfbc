import type { ErrorCode, FieldIssue } from '@portcullis/contract';

export type { ErrorCode, FieldIssue };

/**
 * The error every layer throws for an expected failure. `code` is the contract's stable code (its
 * statuses: ERROR_STATUSES in packages/contract) and `status` its HTTP status; anything else that
 * escapes a handler is an unexpected `500 INTERNAL`. What the answer's headers say is carried as
 * meaning, not as headers: the error handler writes `Retry-After` and `WWW-Authenticate` from it.
 */
export interface ApiErrorOptions {
  /** Seconds until trying again may succeed (`Retry-After`; at least 1). */
  retryAfterSeconds?: number;
  /** A 401 caused by the bearer token: the RFC 6750 `error` and optional description of its challenge. */
  bearerError?: { error: 'invalid_token'; description?: string };
  cause?: unknown;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly retryAfterSeconds: number | undefined;
  readonly bearerError: ApiErrorOptions['bearerError'];

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(options.retryAfterSeconds));
    this.bearerError = options.bearerError;
  }

  /** The answer's headers: the bearer challenge of every 401 (RFC 7235) and `Retry-After`. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.retryAfterSeconds !== undefined) headers['Retry-After'] = String(this.retryAfterSeconds);
    if (this.status === 401) {
      const challenge = this.bearerError;
      headers['WWW-Authenticate'] = !challenge
        ? 'Bearer'
        : `Bearer error="${challenge.error}"${challenge.description ? `, error_description="${challenge.description}"` : ''}`;
    }
    return headers;
  }
}

export const unauthenticated = () => new ApiError(401, 'UNAUTHENTICATED', 'Sign in to continue.');
export const invalidBearer = (message = 'The access token is invalid.') =>
  new ApiError(401, 'INVALID_TOKEN', message, undefined, { bearerError: { error: 'invalid_token' } });
export const expiredBearer = () =>
  new ApiError(401, 'TOKEN_EXPIRED', 'The access token has expired.', undefined, {
    bearerError: { error: 'invalid_token', description: 'The access token expired' },
  });
export const invalidCredentials = () => new ApiError(401, 'INVALID_CREDENTIALS', 'The email or password is incorrect.');
/** An extension: an admin locked the account (services/accountLock.ts). */
export const accountLocked = () => new ApiError(403, 'ACCOUNT_LOCKED', 'This account is locked. Contact your administrator.');
export const forbidden = (message = 'You do not have permission to do this.') => new ApiError(403, 'FORBIDDEN', message);
export const notFound = (message = 'Not found.') => new ApiError(404, 'NOT_FOUND', message);
export const validationFailed = (details: FieldIssue[]) => new ApiError(400, 'VALIDATION_FAILED', 'Some fields are invalid.', details);
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(429, 'RATE_LIMITED', 'Too many requests. Try again later.', undefined, { retryAfterSeconds });
export const serviceUnavailable = (message = 'The service is temporarily unavailable. Try again shortly.', cause?: unknown) =>
  new ApiError(503, 'SERVICE_UNAVAILABLE', message, undefined, { retryAfterSeconds: 5, cause });
