import { appName, renderMail, type RenderedMail } from './layout.js';

export function verifyEmailMail(input: { displayName: string; link: string }): RenderedMail {
  return renderMail({
    subject: 'Verify your email address',
    greetingName: input.displayName,
    paragraphs: [`Confirm that this address belongs to you to finish setting up your ${appName()} account.`],
    action: { label: 'Verify email address', url: input.link },
    footer: ['This link works once and expires in 24 hours.', 'If you did not create an account, you can ignore this message.'],
  });
}
