import { appName, renderMail, type RenderedMail } from './layout.js';

export function mfaChangedMail(input: { displayName: string; enabled: boolean; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: input.enabled ? 'Two-factor authentication is on' : 'Two-factor authentication was turned off',
    greetingName: input.displayName,
    paragraphs: [
      input.enabled
        ? `Your ${appName()} account now asks for a code from your authenticator app at sign-in. Keep your recovery codes somewhere safe.`
        : `Your ${appName()} account no longer asks for a code from an authenticator app at sign-in.`,
    ],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: [
      input.enabled
        ? "If this was not you, someone else's authenticator app now guards your account: reset your password at once from the sign-in page and ask an administrator to reset two-step verification."
        : 'If this was not you, reset your password at once from the sign-in page and review your sessions.',
    ],
  });
}
