import { appName, renderMail, type RenderedMail } from './layout.js';

/** An administrator (or the operator's CLI) reset the account's second factor: services/mfaReset.ts. */
export function mfaResetMail(input: { displayName: string; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: 'Two-step verification was reset on your account',
    greetingName: input.displayName,
    paragraphs: [
      `An administrator turned off two-step verification on your ${appName()} account: the authenticator app and the recovery codes no longer work, and every session was signed out.`,
      'Sign in with your password (or your provider), then turn two-step verification on again with an authenticator app of your own.',
    ],
    action: { label: 'Open your security settings', url: input.securityUrl },
    footer: ['If you did not ask for this, reset your password at once from the sign-in page and tell your administrator.'],
  });
}
