// The web app's pages that other parts link to: mails from the API, OAuth redirects, the web app's
// own links. Plain data (safe in a browser bundle); a page's address is spelled only here.

export const WEB_PAGES = {
  login: '/login',
  dashboard: '/dashboard',
  securitySettings: '/settings/security',
  forgotPassword: '/forgot-password',
  /** `?token=` from the verification mail. */
  verifyEmail: '/verify-email',
  /** `?token=` from the reset mail. */
  resetPassword: '/reset-password',
  /** `?token=` from the mail to the new address. */
  confirmEmailChange: '/confirm-email-change',
  /** `?token=` from an organization's invitation mail (issue 16). */
  acceptInvitation: '/orgs/invitations/accept',
  organizations: '/orgs',
  /** Linked from the mail to an admin who created a service account or a webhook target. */
  adminUsers: '/admin/users',
  adminServiceAccounts: '/admin/service-accounts',
  adminWebhooks: '/admin/webhooks',
} as const;

export type WebPage = keyof typeof WEB_PAGES;

/** `base` (WEB_URL, no trailing slash) + the page, with `query` percent-encoded. */
export function webPageUrl(base: string, page: WebPage, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${base.replace(/\/+$/, '')}${WEB_PAGES[page]}${search ? `?${search}` : ''}`;
}
