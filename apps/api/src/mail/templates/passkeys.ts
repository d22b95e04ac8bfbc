import { appName, renderMail, type RenderedMail } from './layout.js';

/** A passkey was added to, or removed from, the account. */
export function passkeyChangedMail(input: { displayName: string; passkeyName: string; added: boolean; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: input.added ? 'A new passkey was added to your account' : 'A passkey was removed from your account',
    greetingName: input.displayName,
    paragraphs: [
      input.added
        ? `The passkey “${input.passkeyName}” can now sign in to your ${appName()} account, on its own.`
        : `The passkey “${input.passkeyName}” can no longer sign in to your ${appName()} account.`,
    ],
    action: { label: 'Review your passkeys', url: input.securityUrl },
    footer: [
      input.added
        ? 'If this was not you, remove that passkey at once from your security settings, change your password and sign out everywhere.'
        : 'If this was not you, change your password at once and review your sessions and passkeys.',
    ],
  });
}

/** A passkey answered with a signature counter that went backwards: it may have been copied. */
export function passkeyClonedMail(input: { displayName: string; passkeyName: string; securityUrl: string }): RenderedMail {
  return renderMail({
    subject: 'A sign-in with one of your passkeys was refused',
    greetingName: input.displayName,
    paragraphs: [
      `A sign-in with the passkey “${input.passkeyName}” was refused: its counter went backwards, which is what a copy of the authenticator looks like.`,
    ],
    action: { label: 'Review your passkeys', url: input.securityUrl },
    footer: ['If you did not try to sign in, remove that passkey and change your password.'],
  });
}

/** The code and link of a sign-in by email. */
export function emailSignInMail(input: { code: string; url: string; minutes: number }): RenderedMail {
  return renderMail({
    subject: `Your sign-in code: ${input.code}`,
    greetingName: 'there',
    paragraphs: [
      `Your code to sign in to ${appName()} is ${input.code}. Enter it on the sign-in page, or follow the link. It works once, for ${input.minutes} minutes.`,
    ],
    action: { label: 'Sign in', url: input.url },
    footer: ['If you did not ask to sign in, ignore this mail: nobody can sign in without the code.'],
  });
}
