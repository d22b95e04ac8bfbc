import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * Requests that Node's HTTP parser refuses before Express sees them (a URL or headers over the
 * size limit, malformed request lines, bare CR in a header) still get the contract's error shape
 * and an X-Request-Id, rather than Node's bare "400 Bad Request".
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const { status, error: refusal } = describe(error.code);
  const requestId = randomUUID();
  const body = JSON.stringify({ error: refusal, requestId });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The status line and error for a refusal by Node's parser or its timers. */
function describe(code: string | undefined): { status: string; error: { code: string; message: string } } {
  // headersTimeout / requestTimeout: the client was too slow to send its request (RFC 9110 §15.5.9).
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: '408 Request Timeout', error: { code: 'VALIDATION_FAILED', message: 'The request took too long to arrive.' } };
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: '431 Request Header Fields Too Large', error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request URL or headers are too large.' } };
  return { status: '400 Bad Request', error: { code: 'VALIDATION_FAILED', message: 'The HTTP request is malformed.' } };
}
