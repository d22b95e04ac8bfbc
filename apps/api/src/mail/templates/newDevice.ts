import { appName, renderMail, type RenderedMail } from './layout.js';

/** Approximate on purpose: the hour in UTC is enough to recognise one's own sign-in. */
const AROUND = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', timeZone: 'UTC' });

/** A sign-in from a device this account had not been used from before. */
export function newDeviceMail(input: { displayName: string; device: string; at: Date; sessionsUrl: string }): RenderedMail {
  return renderMail({
    subject: `New sign-in to your ${appName()} account`,
    greetingName: input.displayName,
    paragraphs: [
      `Your ${appName()} account was just signed in to from a device it had not been used from before: ${input.device}, around ${AROUND.format(input.at)}:00 UTC.`,
      'If this was you, there is nothing to do.',
    ],
    action: { label: 'Review your sessions', url: input.sessionsUrl },
    footer: ['If this was not you, sign that session out from the link above and change your password at once.'],
  });
}
