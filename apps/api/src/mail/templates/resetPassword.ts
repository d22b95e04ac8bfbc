import { appName, renderMail, type RenderedMail } from './layout.js';

export function resetPasswordMail(input: { displayName: string; link: string }): RenderedMail {
  return renderMail({
    subject: 'Reset your password',
    greetingName: input.displayName,
    paragraphs: [`Someone asked to reset the password of your ${appName()} account. If it was you, choose a new password with the link below.`],
    action: { label: 'Choose a new password', url: input.link },
    footer: [
      'This link works once and expires in 1 hour. Resetting your password signs you out everywhere.',
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ],
  });
}
