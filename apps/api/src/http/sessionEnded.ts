// `X-Session-Ended` (not in the contract: an extension): on a 401 to a browser whose signed
// session cookie names a session that ended, why it ended, so the web app's sign-in page can
// tell the person (`/login?reason=…`). Only the holder of that cookie learns it.
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { sessionEndReason } from '../services/sessionEnd.js';
import { readSessionCookie } from './cookies.js';

export const SESSION_ENDED_HEADER = 'X-Session-Ended';

export async function sayWhySessionEnded(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const sessionId = readSessionCookie(ctx, req);
  const reason = sessionId ? await sessionEndReason(ctx.db, sessionId) : undefined;
  if (reason) res.setHeader(SESSION_ENDED_HEADER, reason);
}
