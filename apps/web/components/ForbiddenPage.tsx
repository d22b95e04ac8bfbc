import Link from 'next/link';
import type { ReactNode } from 'react';
import { getT } from '@/lib/i18n/server';
import { StatusPage } from './StatusPage';

/**
 * "You may not" (403): for a signed-in person who lacks a permission. Render it from a server
 * component after checking the user's role, e.g.
 *   if (!hasPermission(user.role, 'manage_users')) return <ForbiddenPage />;
 * Never use it for a missing session: that is a redirect to /login (proxy.ts does it).
 */
export async function ForbiddenPage({ title, message, actions }: { title?: string; message?: string; actions?: ReactNode }) {
  const t = await getT();
  return (
    <StatusPage
      code="403"
      title={title ?? t('status.forbiddenTitle')}
      actions={
        <>
          {actions}
          <Link href="/dashboard">{t('status.backToDashboard')}</Link>
        </>
      }
    >
      <p>{message ?? t('status.forbiddenBody')}</p>
    </StatusPage>
  );
}
