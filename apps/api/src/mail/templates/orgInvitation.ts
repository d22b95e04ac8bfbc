import { appName, renderMail, type RenderedMail } from './layout.js';

/** An invitation to an organization (issue 16). The organization's and inviter's names are user input: layout.ts escapes them. */
export function orgInvitationMail(input: { organizationName: string; inviterName: string; role: string; link: string; days: number }): RenderedMail {
  return renderMail({
    subject: `You are invited to join ${input.organizationName} on ${appName()}`,
    greetingName: 'there',
    paragraphs: [
      `${input.inviterName} invited you to join the organization "${input.organizationName}" as ${input.role === 'admin' ? 'an admin' : `a ${input.role}`}.`,
    ],
    action: { label: 'Accept the invitation', url: input.link },
    footer: [
      `This link works once and expires in ${input.days} days. Sign in with this address (or create an account with it) to accept.`,
      'If you did not expect this, you can ignore this message.',
    ],
  });
}

/**
 * To the inviter: membership for whoever holds the invited mailbox outlives the inviter's access
 * token (which may have been stolen), so the account holder hears of every invitation sent from it.
 */
export function orgInvitationSentMail(input: { displayName: string; invitee: string; organization: string; role: string; url: string }): RenderedMail {
  return renderMail({
    subject: 'An invitation to your organization was sent from your account',
    greetingName: input.displayName,
    paragraphs: [
      `${input.invitee} was invited to "${input.organization}" with the role ${input.role}: whoever follows the mailed link within 7 days joins it.`,
    ],
    action: { label: 'Review invitations', url: input.url },
    footer: ['If this was not you, revoke the invitation at once, change your password and sign out everywhere.'],
  });
}
