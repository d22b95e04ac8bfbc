import { appName, renderMail, type RenderedMail } from './layout.js';

/**
 * Lasting things an admin's session created: a service account (a credential of its own), a
 * webhook target (a feed of events to a URL), an invitation (an account, with a role, for
 * whoever holds the invited mailbox) or more rights for someone. A stolen admin access token
 * could make any of them outlive the token, so the admin whose account did it hears of it, as of
 * a new API key.
 */

const footer = ['If this was not you, remove it at once, change your password and sign out everywhere.'];

export function serviceAccountCreatedMail(input: { displayName: string; name: string; role: string; url: string }): RenderedMail {
  return renderMail({
    subject: 'A service account was created from your account',
    greetingName: input.displayName,
    paragraphs: [`The service account “${input.name}” can now get access tokens for ${appName()} with the role ${input.role}, until it is deleted.`],
    action: { label: 'Review service accounts', url: input.url },
    footer,
  });
}

export function invitationSentMail(input: { displayName: string; invitee: string; role: string; url: string }): RenderedMail {
  return renderMail({
    subject: 'An invitation was sent from your account',
    greetingName: input.displayName,
    paragraphs: [`${input.invitee} was invited to ${appName()} with the role ${input.role}: whoever follows the mailed link within 7 days holds that account.`],
    action: { label: 'Review users', url: input.url },
    footer,
  });
}

export function webhookTargetMail(input: { displayName: string; host: string; added: boolean; url: string }): RenderedMail {
  const what = input.added ? 'A webhook endpoint was added' : 'A webhook endpoint was pointed at a new address';
  return renderMail({
    subject: `${what} from your account`,
    greetingName: input.displayName,
    paragraphs: [`${what}: ${appName()} now sends the events it subscribes to to ${input.host}.`],
    action: { label: 'Review webhooks', url: input.url },
    footer,
  });
}

export function roleGrantedMail(input: { displayName: string; person: string; role: string; url: string }): RenderedMail {
  return renderMail({
    subject: 'Someone was given more rights from your account',
    greetingName: input.displayName,
    paragraphs: [`${input.person} now has the role ${input.role} in ${appName()}, until an admin changes it.`],
    action: { label: 'Review users', url: input.url },
    footer,
  });
}
