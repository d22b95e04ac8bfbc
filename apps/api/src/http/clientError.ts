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
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: tooLarge
      ? { code: 'PAYLOAD_TOO_LARGE', message: 'The request URL or headers are too large.' }
      : { code: 'VALIDATION_FAILED', message: 'The HTTP request is malformed.' },
    requestId,
  });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
}
