import { appName, renderMail, type RenderedMail } from './layout.js';

export function passwordChangedMail(input: { displayName: string; how: 'changed' | 'reset'; securityUrl: string }): RenderedMail {
  const what = input.how === 'reset' ? 'was reset with a link sent to this address' : 'was changed from your account settings';
  const signedOut = input.how === 'reset' ? 'Every session of your account has been signed out.' : 'Your other sessions have been signed out.';
  return renderMail({
    subject: 'Your password was changed',
    greetingName: input.displayName,
    paragraphs: [`The password of your ${appName()} account ${what}. ${signedOut}`],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: ['If this was not you, reset your password at once from the sign-in page and review your sessions.'],
  });
}
