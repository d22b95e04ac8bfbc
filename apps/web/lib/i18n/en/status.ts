// The error, not-found and forbidden pages (app/error.tsx, not-found.tsx, forbidden.tsx, global-error.tsx).
export const status = {
  'status.errorCode': 'Error',
  'status.errorTitle': 'Something went wrong',
  'status.errorBody': 'An unexpected error stopped this page from loading. Trying again usually helps.',
  'status.globalBody': '{app} could not load this page. Please try again in a moment.',
  'status.reference': 'Reference:',
  'status.retry': 'Try again',
  'status.home': 'Go home',
  'status.homeLink': 'Home',
  'status.dashboard': 'Dashboard',
  'status.notFoundTitle': 'We can’t find that page',
  'status.notFoundBody': 'The link may be broken, or the page may have moved.',
  'status.forbiddenMeta': 'Access denied',
  'status.forbiddenTitle': 'You don’t have access to this page',
  'status.forbiddenBody': 'Your account is signed in but does not have permission to see this. If you think it should, ask an administrator.',
  'status.backToDashboard': 'Back to your dashboard',
  'status.adminMfaTitle': 'Admin features need two-step verification',
  'status.adminMfaBody':
    'This server lets admins in only from a sign-in with two-step verification. Turn it on in Settings → Security, then sign out and sign in again with your authenticator code.',
  'status.adminMfaAction': 'Go to Security settings',
} as const;
