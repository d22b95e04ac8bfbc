import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/**
 * At most `max` open connections per instance. Idle or slow clients (thousands of half-open
 * connections) would otherwise exhaust the process's file descriptors, and then legitimate
 * requests fail until they time out. A connection over the cap is answered at once with
 * `503 SERVICE_UNAVAILABLE` and `Retry-After`, written straight to the socket, then closed.
 * Holding very many slow clients is a reverse proxy's job (docs/operations.md).
 */
export function capConnections(server: Server, max: number, logger: Logger): void {
  let open = 0;
  let lastWarning = 0;
  // Node's own HTTP handling is a 'connection' listener: it runs only for connections we admit.
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (open >= max) {
      refuse(socket);
      if (Date.now() - lastWarning > 10_000) {
        lastWarning = Date.now();
        logger.warn({ event: 'connections.refused', max }, `connection limit reached (MAX_CONNECTIONS=${max}): refusing new connections with 503`);
      }
      return;
    }
    open++;
    socket.once('close', () => open--);
    for (const handler of handlers) handler.call(server, socket);
  });
}

const BODY = JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The server is handling too many connections. Try again shortly.' } });
const REFUSAL =
  'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(BODY)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n${BODY}`;

function refuse(socket: Socket): void {
  socket.on('error', () => {});
  // Read and discard what the client sends, so that closing does not reset the connection
  // before the client has read the answer.
  socket.resume();
  socket.end(REFUSAL);
  setTimeout(() => socket.destroy(), 2_000).unref();
}
