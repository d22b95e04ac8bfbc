// A mail when an account is signed in from a device it had not been used from before (the
// browser and system as sessions.device describes them), with a link to the sessions page.
// The first session of an account (its sign-up) is not news, and neither is a known device.
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { newDeviceMail } from '../mail/templates/newDevice.js';
import { enqueueMail } from './mail.js';
import type { Tx } from './transaction.js';
import { webLink } from './webLinks.js';

/** Whether the sessions the account had before this sign-in make its device news: some, none from it. */
export function isNewDevice(seen: { any: boolean; same: boolean } | undefined): boolean {
  return Boolean(seen?.any) && !seen?.same;
}

/** The same question as a part of the sign-in's own statement (sessionStart.ts): `any` and `same`, as one row. */
export function devicesSeen(userId: string, device: string): SQL {
  return sql`select count(*) > 0 as any, count(*) filter (where device = ${device}::text) > 0 as same from sessions where user_id = ${userId}::uuid`;
}

export async function mailNewDevice(ctx: AppContext, tx: Tx, user: { email: string; displayName: string }, device: string): Promise<void> {
  await enqueueMail(
    ctx,
    tx,
    user.email,
    newDeviceMail({ displayName: user.displayName, device, at: new Date(), sessionsUrl: webLink(ctx.config, 'securitySettings') }),
  );
}
