import { appName, renderMail, type RenderedMail } from './layout.js';

/**
 * A change of address: the link to the new address, the notices to the old one, and the note to
 * an address that already has an account (the request is answered the same way, so only the
 * owner of that address learns it was taken).
 */

/** `n***@example.com`: enough for the account holder to recognise, not the whole address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, Math.min(1, at))}***${email.slice(at)}`;
}

export function confirmEmailChangeMail(input: { displayName: string; link: string }): RenderedMail {
  return renderMail({
    subject: 'Confirm your new email address',
    greetingName: input.displayName,
    paragraphs: [
      `You asked to use this address for your ${appName()} account. Confirm it to make the change; until then your account keeps its current address.`,
    ],
    action: { label: 'Confirm new email address', url: input.link },
    footer: ['This link works once and expires in 24 hours.', 'If you did not ask for this, you can ignore this message: nothing changes.'],
  });
}

export function emailChangeNoticeMail(input: { displayName: string; newEmail: string; stage: 'requested' | 'changed'; securityUrl: string }): RenderedMail {
  const masked = maskEmail(input.newEmail);
  const requested = input.stage === 'requested';
  return renderMail({
    subject: requested ? 'A change of your email address was requested' : 'Your email address was changed',
    greetingName: input.displayName,
    paragraphs: [
      requested
        ? `Someone signed in to your ${appName()} account asked to change its address to ${masked}. The change happens only once the link mailed to that address is followed.`
        : `The address of your ${appName()} account is now ${masked}. This address no longer signs in, and mail about the account goes to the new one.`,
    ],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: [
      requested
        ? 'If this was not you, change your password at once and sign out your other sessions: whoever asked knows your password or uses one of your sessions.'
        : 'If this was not you, tell the administrator of this service at once.',
    ],
  });
}

export function emailTakenNoticeMail(): RenderedMail {
  return renderMail({
    subject: 'Someone tried to use this address',
    greetingName: 'there',
    paragraphs: [
      `Someone asked to move another ${appName()} account to this email address. This address already has its own account, so nothing changed.`,
      'If it was you, sign in with this address instead, or delete one of the two accounts first.',
    ],
    footer: ['If it was not you, you can ignore this message.'],
  });
}
