import Link from 'next/link';
import type { ReactNode } from 'react';
import { StatusPage } from './StatusPage';

/**
 * "You may not" (403): for a signed-in person who lacks a permission. Render it from a server
 * component after checking the user's role, e.g.
 *   if (!hasPermission(user.role, 'manage_users')) return <ForbiddenPage />;
 * Never use it for a missing session: that is a redirect to /login (proxy.ts does it).
 */
export function ForbiddenPage({ title = 'You don’t have access to this page', message, actions }: { title?: string; message?: string; actions?: ReactNode }) {
  return (
    <StatusPage
      code="403"
      title={title}
      actions={
        <>
          {actions}
          <Link href="/dashboard">Back to your dashboard</Link>
        </>
      }
    >
      <p>{message ?? 'Your account is signed in but does not have permission to see this. If you think it should, ask an administrator.'}</p>
    </StatusPage>
  );
}
