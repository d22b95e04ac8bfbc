// Organizations (issue 16) in the browser: the active organization read from the access token
// (the API puts `org_id` there while one is active). The typed calls: components/useOrganizations.ts.
import type { AuthClient } from '@portcullis/sdk';

/** Announced on window after the person's organizations or the active one changed (switcher, create, accept, leave). */
export const ORGS_CHANGED = 'portcullis:orgs-changed';
export const announceOrgsChanged = () => window.dispatchEvent(new Event(ORGS_CHANGED));

/** The `org_id` claim of the client's access token, for display only (the API decides access). */
export function activeOrganizationId(client: Pick<AuthClient, 'getAccessToken'>): string | null {
  const payload = client.getAccessToken()?.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { org_id?: unknown };
    return typeof json.org_id === 'string' ? json.org_id : null;
  } catch {
    return null;
  }
}
