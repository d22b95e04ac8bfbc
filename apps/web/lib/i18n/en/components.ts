// Shared components (components/*): the sign-in extras of the login page, re-authentication,
// the organization switcher and the pager. Keys by component.
export const components = {
  'fresh.note':
    'Your account has no password, so we check that it is really you by a recent sign-in: you must have signed in within the last {minutes} minutes. If it has been longer, sign in again first.',
  'fresh.signInAgain': 'Sign in again',
  'fresh.yourPassword': 'Your password',
  'fresh.notNeeded': 'Not needed within {minutes} minutes of signing in.',

  'oauth.list': 'Other ways to sign in',
  'oauth.continue': 'Continue with {provider}',
  'oauth.orEmail': 'or use your email',

  'orgSwitcher.link': 'Organizations',
  'orgSwitcher.label': 'Active organization',
  'orgSwitcher.personal': 'Personal',
  'orgSwitcher.manage': 'Manage',

  'pager.label': 'Pages',
  'pager.previous': '← Previous',
  'pager.next': 'Next →',
  'pager.position': 'Page {page} of {pages}',

  'passkey.cancelled': 'The passkey request was cancelled or timed out.',
  'passkey.failed': 'That passkey did not work. Try again, or sign in another way.',
  'passkey.waiting': 'Waiting for your passkey…',
  'passkey.signIn': 'Sign in with a passkey',
  'passkey.instead': 'Use a passkey instead',

  'emailCode.linkExpired': 'That sign-in link has expired or was already used. Ask for a new code.',
  'emailCode.open': 'Email me a code',
  'emailCode.form': 'Sign in with an emailed code',
  'emailCode.email': 'Email for the code',
  'emailCode.sent': 'If {email} can sign in here, a 6-digit code is on its way. It works for 10 minutes.',
  'emailCode.codeFromMail': 'Code from the mail',
  'emailCode.send': 'Send the code',
} as const;
