import { appName, renderMail, type RenderedMail } from './layout.js';

/**
 * Wrong sign-in codes in a row (services/secondFactorFailures.ts): sent once at the warning mark and
 * once when the second factor locks, never per failure. Whoever typed them got past the password.
 */
export function secondFactorFailuresMail(input: {
  displayName: string;
  failures: number;
  locked: boolean;
  securityUrl: string;
  forgotUrl: string;
}): RenderedMail {
  const { failures, locked } = input;
  return renderMail({
    subject: locked ? 'Two-step verification is locked on your account' : 'Wrong sign-in codes were entered for your account',
    greetingName: input.displayName,
    paragraphs: [
      `${failures} wrong codes in a row were entered at the second step of signing in to your ${appName()} account. Each attempt first needed your password.`,
      locked
        ? 'To protect the account, codes are no longer accepted at sign-in. Reset your password to unlock it (the reset also signs out every session), or ask an administrator to reset two-step verification.'
        : 'If this was not you, someone probably knows your password: change it now.',
    ],
    action: locked ? { label: 'Reset your password', url: input.forgotUrl } : { label: 'Review your security settings', url: input.securityUrl },
    footer: ['If you were trying to sign in yourself, check that the clock of the device with your authenticator app is right.'],
  });
}
