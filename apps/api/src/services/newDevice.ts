// A mail when an account is signed in from a device it had not been used from before (the
// browser and system as sessions.device describes them), with a link to the sessions page.
// The first session of an account (its sign-up) is not news, and neither is a known device.
import { eq, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { sessions } from '../db/schema.js';
import { newDeviceMail } from '../mail/templates/newDevice.js';
import { describeDevice } from './device.js';
import { enqueueMail } from './mail.js';
import type { Tx } from './transaction.js';
import { webLink } from './webLinks.js';

/** In the sign-in's transaction, before its session is written. */
export async function mailIfNewDevice(ctx: AppContext, tx: Tx, user: { id: string; email: string; displayName: string }, meta: RequestMeta): Promise<void> {
  const device = describeDevice(meta.userAgent);
  const [seen] = await tx
    .select({ any: sql<boolean>`count(*) > 0`, same: sql<boolean>`count(*) filter (where ${sessions.device} = ${device}) > 0` })
    .from(sessions)
    .where(eq(sessions.userId, user.id));
  if (!seen?.any || seen.same) return;
  await enqueueMail(
    ctx,
    tx,
    user.email,
    newDeviceMail({ displayName: user.displayName, device, at: new Date(), sessionsUrl: webLink(ctx.config, 'securitySettings') }),
  );
}
