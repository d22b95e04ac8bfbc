import { appName, renderMail, type RenderedMail } from './layout.js';

export function recoveryCodesRegeneratedMail(input: { displayName: string; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: 'New recovery codes were made for your account',
    greetingName: input.displayName,
    paragraphs: [`A new set of recovery codes was made for your ${appName()} account. The earlier codes no longer work.`],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: ['If this was not you, reset your password at once from the sign-in page and review your sessions.'],
  });
}
