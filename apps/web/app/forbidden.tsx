import type { Metadata } from 'next';
import Link from 'next/link';
import { ForbiddenPage } from '@/components/ForbiddenPage';
import { adminNeedsMfa } from '@/lib/admin';

export const metadata: Metadata = { title: 'Access denied' };

/** Rendered with HTTP 403 wherever a server component calls `forbidden()` (e.g. lib/admin.ts). */
export default async function Forbidden() {
  // An admin refused only for want of a second factor (ADMIN_REQUIRE_MFA) is told how to get in.
  if (await adminNeedsMfa().catch(() => false)) {
    return (
      <ForbiddenPage
        title="Admin features need two-step verification"
        message="This server lets admins in only from a sign-in with two-step verification. Turn it on in Settings → Security, then sign out and sign in again with your authenticator code."
        actions={<Link href="/settings/security">Go to Security settings</Link>}
      />
    );
  }
  return <ForbiddenPage />;
}
