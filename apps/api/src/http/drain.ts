import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';

/**
 * Graceful shutdown of one HTTP server. On SIGTERM an instance stops accepting connections,
 * answers `/readyz` with 503 `draining` to whoever still asks over an open connection, lets the
 * requests in flight finish (bounded by SHUTDOWN_TIMEOUT), and closes every connection as soon
 * as it is idle: idle keep-alive connections at once, busy ones right after their response
 * (`Connection: close`), so that a client never sees a reset for a request it already sent.
 * A connection accepted just before, whose request is not read yet, gets a second to send it.
 */

/** Whether this instance is shutting down; readiness reads it. */
export interface Lifecycle {
  readonly draining: boolean;
  startDraining(): void;
}

export function createLifecycle(): Lifecycle {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    startDraining() {
      draining = true;
    },
  };
}

export interface DrainResult {
  /** Requests that were still running when the timeout closed their connections. */
  unfinished: number;
  /** How many requests were in flight when draining began. */
  inFlightAtStart: number;
}

/** A connection opened just before draining began gets this long to send its request. */
const FRESH_CONNECTION_GRACE_MS = 1_000;

interface ConnectionState {
  /** Requests answered or being answered on this connection. */
  served: number;
  /** Responses not yet finished. */
  busy: number;
}

/** Tracks the server's connections and requests; the returned function drains it (once). */
export function drainable(server: Server, lifecycle: Lifecycle): (timeoutMs: number) => Promise<DrainResult> {
  const connections = new Map<Socket, ConnectionState>();
  const responses = new Set<ServerResponse>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { served: 0, busy: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  // First listener, so that the header is set before any route can send its response.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    responses.add(res);
    res.once('close', () => responses.delete(res));
    const state = connections.get(req.socket);
    if (state) {
      state.served++;
      state.busy++;
      res.once('close', () => state.busy--);
    }
    if (lifecycle.draining) res.setHeader('Connection', 'close');
  });
  const inFlight = () => responses.size;

  let drained: Promise<DrainResult> | undefined;
  return (timeoutMs) => {
    drained ??= (async () => {
      lifecycle.startDraining();
      const started = Date.now();
      const inFlightAtStart = inFlight();
      // Stop accepting. Not server.close(): that also destroys every connection without a
      // response under way, including one accepted a moment ago whose request is not read yet.
      net.Server.prototype.close.call(server);
      // Busy connections close right after their response.
      for (const res of responses) if (!res.headersSent) res.setHeader('Connection', 'close');
      for (;;) {
        const now = Date.now();
        for (const [socket, state] of connections) {
          // Idle keep-alive connections close at once; a fresh one gets a moment for its request.
          if (state.busy === 0 && (state.served > 0 || now - started >= FRESH_CONNECTION_GRACE_MS)) socket.destroy();
        }
        if (connections.size === 0 || now - started >= timeoutMs) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const unfinished = inFlight();
      // Whatever is left (requests past the timeout) is cut; the server's own timers stop too.
      server.closeAllConnections();
      server.close(() => {});
      return { unfinished, inFlightAtStart };
    })();
    return drained;
  };
}
