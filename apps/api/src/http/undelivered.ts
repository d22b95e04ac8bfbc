import type { Response } from 'express';
import type { AppContext } from '../context.js';
import { revokeUndeliveredSession } from '../services/sessions.js';

/**
 * A new session whose response never left this server (the client went away first, or the write
 * failed) would live on with a refresh token nobody holds: revoke it. "Finished" means handed to
 * the operating system, not received: a response lost in the network after that is not seen here
 * (such a session ends at its idle expiry and is listed, and revocable, among the user's sessions).
 */
export function revokeIfUndelivered(ctx: AppContext, res: Response, sessionId: string): void {
  const revoke = () => ctx.followUps.run('revoke undelivered session', () => revokeUndeliveredSession(ctx, sessionId, 'response_undelivered'));
  // The connection may already be gone: its 'close' has then been emitted before we got here.
  if (res.closed) {
    if (!res.writableFinished) revoke();
    return;
  }
  res.once('close', () => {
    if (!res.writableFinished) revoke();
  });
}
