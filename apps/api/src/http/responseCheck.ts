import { ERROR_STATUSES, ErrorBody, isErrorCode, type EndpointDefinition } from '@portcullis/contract';

/**
 * Test-time drift detection: with PORTCULLIS_CHECK_RESPONSES=1 (the test suite sets it) every JSON
 * answer is checked against its endpoint's response schema, with no field missing, wrong or extra,
 * and every error against the error shape and the code's statuses. A mismatch is thrown, so the
 * test that caused it sees a 500 and fails. Off in production (it costs a parse per response).
 */
export const responseChecksEnabled = () => process.env.PORTCULLIS_CHECK_RESPONSES === '1' && process.env.NODE_ENV !== 'production';

export class ResponseDriftError extends Error {
  override name = 'ResponseDriftError';
}

/** Keys of `sent` that the parsed value lacks: fields the schema does not describe. */
function extraKeys(sent: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) return sent.flatMap((item, i) => extraKeys(item, parsed[i], `${path}[${i}]`));
  if (!sent || typeof sent !== 'object' || !parsed || typeof parsed !== 'object' || sent instanceof Date) return [];
  const known = parsed as Record<string, unknown>;
  return Object.entries(sent as Record<string, unknown>).flatMap(([key, value]) => {
    if (value === undefined) return [];
    if (!Object.hasOwn(known, key)) return [`${path}.${key}`];
    // A record (`details`) keeps every key of its own; only objects with a shape can have extras.
    return extraKeys(value, known[key], `${path}.${key}`);
  });
}

export function checkResponse(endpoint: Pick<EndpointDefinition, 'method' | 'path' | 'response'>, body: unknown): void {
  if (!endpoint.response) return;
  const where = `${endpoint.method.toUpperCase()} ${endpoint.path}`;
  // What the client receives is the JSON text, so check that (dates become strings, undefined disappears).
  const sent = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const result = endpoint.response.safeParse(sent);
  if (!result.success) throw new ResponseDriftError(`${where} answered a body its schema refuses: ${JSON.stringify(result.error.issues)}`);
  const extra = extraKeys(sent, result.data);
  if (extra.length) throw new ResponseDriftError(`${where} answered fields its schema does not describe: ${extra.join(', ')}`);
}

/** For the error handler: the error shape and a status the code may carry. */
export function checkErrorResponse(status: number, body: unknown): void {
  const result = ErrorBody.safeParse(body);
  if (!result.success) throw new ResponseDriftError(`an error body does not match the error shape: ${JSON.stringify(result.error.issues)}`);
  const { code } = result.data.error;
  if (isErrorCode(code) && !(ERROR_STATUSES[code] as readonly number[]).includes(status)) {
    throw new ResponseDriftError(`error code ${code} was sent with status ${status}; the contract's table allows ${ERROR_STATUSES[code].join(', ')}`);
  }
}
