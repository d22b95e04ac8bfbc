import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

type Born<T> = (this: T, ...args: never[]) => void;

/**
 * The request and response classes for `app`'s HTTP server: objects born with the prototypes
 * Express would give them (`app.request`, `app.response`).
 *
 * Express's `app.handle` sets those prototypes on every request (`Object.setPrototypeOf`). On an
 * object born with them that is a no-op; on one born an `IncomingMessage` it changes the object's
 * prototype, which costs V8 the object's optimised shape, and every later access to the request
 * and response, in Express and in node:http alike, runs slower for it. Measured with a bare
 * Express handler on these machines: 2.5x less CPU per request served this way (issue 12,
 * docs/performance.md). Nothing else changes: the objects are what Express makes of them.
 *
 * node:http's own constructors are plain functions (not classes), so they are called on the new
 * object as any subclass's constructor would.
 */
export function expressServerClasses(app: Express): Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  const incoming = IncomingMessage as unknown as Born<IncomingMessage>;
  const outgoing = ServerResponse as unknown as Born<ServerResponse>;
  function Request(this: IncomingMessage, socket: Socket): void {
    incoming.call(this, socket as never);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, req: IncomingMessage, options: unknown): void {
    outgoing.call(this, req as never, options as never);
  }
  Response.prototype = app.response;
  return { IncomingMessage: Request as unknown as typeof IncomingMessage, ServerResponse: Response as unknown as typeof ServerResponse };
}
