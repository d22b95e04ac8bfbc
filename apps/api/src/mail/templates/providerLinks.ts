import { appName, renderMail, type RenderedMail } from './layout.js';

/** A sign-in provider was linked: by the holder from settings, or automatically at a sign-in with a verified address. */
export function providerLinkedMail(input: {
  displayName: string;
  providerName: string;
  via: 'settings' | 'verified_email';
  securityUrl: string;
}): RenderedMail {
  const how =
    input.via === 'settings'
      ? `was linked to your ${appName()} account from your security settings.`
      : `was linked to your ${appName()} account when someone signed in with it: it shares your verified email address.`;
  return renderMail({
    subject: `${input.providerName} can now sign in to your account`,
    greetingName: input.displayName,
    paragraphs: [`An account at ${input.providerName} ${how} It can now be used to sign in to your account.`],
    action: { label: 'Review linked providers', url: input.securityUrl },
    footer: [`If this was not you, open Settings → Security, unlink ${input.providerName}, sign out everywhere and change your password.`],
  });
}

/**
 * Proving the address (a password reset, a verification link, a change of address) removed
 * providers whose own check of the address was missing: whoever linked them never proved they own it.
 */
export function unverifiedProvidersRemovedMail(input: { displayName: string; providerNames: string[]; securityUrl: string }): RenderedMail {
  const names = input.providerNames.join(', ');
  return renderMail({
    subject: 'Sign-in providers were unlinked from your account',
    greetingName: input.displayName,
    paragraphs: [
      `You just proved that this email address is yours. These sign-in providers were linked to your ${appName()} account without their own proof of the address, so they were unlinked: ${names}.`,
      'If one of them is yours, sign in and link it again from your security settings (no password yet? Use “Forgot password?” on the sign-in page to set one).',
    ],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: ['If you did not expect this account, someone may have tried to take it over before you: review your sessions and sign out everywhere.'],
  });
}

/** An administrator unlinked a sign-in provider from the account (the admin console). */
export function providerUnlinkedByAdminMail(input: { displayName: string; providerName: string; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: `${input.providerName} was unlinked from your account`,
    greetingName: input.displayName,
    paragraphs: [
      `An administrator unlinked your ${input.providerName} account from your ${appName()} account. It can no longer be used to sign in; your other ways to sign in are unchanged.`,
    ],
    action: { label: 'Review your security settings', url: input.securityUrl },
    footer: ['If you did not expect this, contact your administrator.'],
  });
}
