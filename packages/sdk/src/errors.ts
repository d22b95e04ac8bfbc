// One error type for everything the SDK throws about auth: HTTP errors in the contract's
// shape, network failures, and (in ./server) token verification failures.
import { ERROR_CODES as CONTRACT_ERROR_CODES, type ErrorCode as ContractErrorCode } from '@portcullis/contract/codes';

/** The contract's error codes, plus `NETWORK_ERROR` for requests that never got an answer. */
export const ERROR_CODES = Object.freeze([...CONTRACT_ERROR_CODES, 'NETWORK_ERROR'] as const);

export type KnownErrorCode = ContractErrorCode | 'NETWORK_ERROR';
/** Known codes autocomplete; `string & {}` keeps codes a newer server may add assignable. */
export type ErrorCode = KnownErrorCode | (string & {});

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface AuthErrorInit {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  requestId?: string;
  /** From `Retry-After` on a 429. */
  retryAfterSec?: number;
  cause?: unknown;
}

export class AuthError extends Error {
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;
  readonly retryAfterSec: number | undefined;

  constructor(init: AuthErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AuthError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.retryAfterSec = init.retryAfterSec;
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError;
}

/** Codes for answers that are not in the contract's shape (a proxy's HTML page, an empty body). */
const FALLBACK_CODES: Record<number, KnownErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  502: 'SERVICE_UNAVAILABLE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVICE_UNAVAILABLE',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((d) => ({
    field: typeof d.field === 'string' ? d.field : '',
    message: typeof d.message === 'string' ? d.message : '',
  }));
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** What the parser reads of a response's headers; `Headers` fits. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The one reader of error bodies: an AuthError from a non-2xx answer's status, its parsed JSON
 * body (anything; `undefined` when it was not JSON) and its headers. Reads the contract's error
 * shape when present and falls back on the status otherwise (a proxy's HTML page, an empty body).
 */
export function parseErrorResponse(status: number, body: unknown, headers: HeaderLookup): AuthError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const bodyRequestId = isRecord(body) && typeof body.requestId === 'string' ? body.requestId : undefined;
  const code = typeof error?.code === 'string' && error.code !== '' ? error.code : (FALLBACK_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'HTTP_ERROR'));
  return new AuthError({
    status,
    code,
    message: typeof error?.message === 'string' ? error.message : `Request failed with status ${status}`,
    details: parseDetails(error?.details),
    requestId: bodyRequestId ?? headers.get('x-request-id') ?? undefined,
    retryAfterSec: parseRetryAfter(headers.get('retry-after')),
  });
}

/** Builds an AuthError from a non-2xx response (reads its body): parseErrorResponse. */
export async function errorFromResponse(res: Response): Promise<AuthError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  return parseErrorResponse(res.status, body, res.headers);
}

export function networkError(cause: unknown): AuthError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AuthError({ status: 0, code: 'NETWORK_ERROR', message: `Network request failed: ${reason}`, cause });
}
