import { appName, renderMail, type RenderedMail } from './layout.js';

/** Sent after a person deleted their own account: nothing of it is left to link to. */
export function accountDeletedMail(input: { displayName: string; email: string }): RenderedMail {
  return renderMail({
    subject: `Your ${appName()} account was deleted`,
    greetingName: input.displayName,
    paragraphs: [
      `The ${appName()} account for ${input.email} was deleted at your request, with its projects, sessions and linked sign-in providers. Every device signed in to it was signed out.`,
      'This cannot be undone. You are welcome to create a new account with this address at any time.',
    ],
    footer: [
      'If you did not ask for this, someone else could use your account: tell the administrator of this service, and change the password of this email address.',
    ],
  });
}
