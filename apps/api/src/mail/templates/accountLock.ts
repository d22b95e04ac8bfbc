import { appName, renderMail, type RenderedMail } from './layout.js';

/** An administrator locked the account (services/accountLock.ts): every session ended, no sign-in until unlocked. */
export function accountLockedMail(input: { displayName: string; reason: string }): RenderedMail {
  return renderMail({
    subject: 'Your account was locked',
    greetingName: input.displayName,
    paragraphs: [
      `An administrator locked your ${appName()} account: you were signed out everywhere, and you cannot sign in until it is unlocked.`,
      `The reason given: ${input.reason}`,
    ],
    footer: ['If you think this is a mistake, contact your administrator.'],
  });
}

/** The lock was lifted: the holder may sign in again. */
export function accountUnlockedMail(input: { displayName: string; loginUrl: string }): RenderedMail {
  return renderMail({
    subject: 'Your account was unlocked',
    greetingName: input.displayName,
    paragraphs: [`An administrator unlocked your ${appName()} account: you can sign in again.`],
    action: { label: 'Sign in', url: input.loginUrl },
    footer: [],
  });
}
