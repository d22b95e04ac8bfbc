// A mail when an account is signed in from a device it had not been used from before (the
// browser and system as sessions.device describes them), with a link to the sessions page.
// The first session of an account (its sign-up) is not news, and neither is a known device.
import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { RenderedMail } from '../mail/templates/layout.js';
import { newDeviceMail } from '../mail/templates/newDevice.js';
import { webLink } from './webLinks.js';

/**
 * Which sessions the account had before this sign-in, as a part of the sign-in's own statement
 * (sessionStart.ts), one row: `had_sessions` (some) and `had_device` (one from this device); the
 * device is news when the first holds and the second does not. Two EXISTS on the (user_id, device)
 * index, each stopping at its first row: counting the account's sessions instead made every sign-in
 * cost as much as the account had sessions before (1.7 ms of the database's time at 1,300, the
 * bench's account after a run; issue 12).
 */
export function devicesSeen(userId: string, device: string): SQL {
  return sql`select exists (select 1 from sessions where user_id = ${userId}::uuid) as had_sessions,
    exists (select 1 from sessions where user_id = ${userId}::uuid and device = ${device}::text) as had_device`;
}

/** The new-device mail to `user`, rendered before the sign-in's statement, which writes it only when the device is news. */
export function newDeviceMailFor(ctx: AppContext, user: { displayName: string }, device: string): RenderedMail {
  return newDeviceMail({ displayName: user.displayName, device, at: new Date(), sessionsUrl: webLink(ctx.config, 'securitySettings') });
}
