import { appName, renderMail, type RenderedMail } from './layout.js';

/** An administrator created an account for this address (services/invitations.ts): the link sets its password. */
export function invitationMail(input: { displayName: string; link: string; days: number }): RenderedMail {
  return renderMail({
    subject: `You are invited to ${appName()}`,
    greetingName: input.displayName,
    paragraphs: [`An administrator created a ${appName()} account for this address. Choose a password with the link below to start using it.`],
    action: { label: 'Choose your password', url: input.link },
    footer: [`This link works once and expires in ${input.days} days.`, 'If you did not expect this, ignore this message.'],
  });
}
