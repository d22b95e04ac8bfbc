import { appName, renderMail, type RenderedMail } from './layout.js';

/** A personal API key was created: a lasting credential, so its holder hears of it (as of a new passkey). */
export function apiKeyCreatedMail(input: { displayName: string; keyName: string; settingsUrl: string }): RenderedMail {
  return renderMail({
    subject: 'A new API key was created on your account',
    greetingName: input.displayName,
    paragraphs: [`The API key “${input.keyName}” can now call ${appName()} as you, within the permissions it was given.`],
    action: { label: 'Review your API keys', url: input.settingsUrl },
    footer: ['If this was not you, revoke that key at once, change your password and sign out everywhere.'],
  });
}
