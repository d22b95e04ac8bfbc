import { appName, renderMail, type RenderedMail } from './layout.js';

/** A sign-in presented a code that had already been used: someone else may have the password and have seen a code. */
export function totpCodeReplayedMail(input: { displayName: string; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: 'A used sign-in code was tried on your account',
    greetingName: input.displayName,
    paragraphs: [
      `A sign-in to your ${appName()} account got past the password and then presented a code from your authenticator app that had already been used. It was refused.`,
      'If you just signed in twice with the same code, there is nothing to do. Otherwise someone may know your password and have seen one of your codes.',
    ],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: ['If this was not you, change your password at once and sign out the sessions you do not recognise.'],
  });
}
