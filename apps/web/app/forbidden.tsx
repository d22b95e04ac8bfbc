import type { Metadata } from 'next';
import Link from 'next/link';
import { ForbiddenPage } from '@/components/ForbiddenPage';
import { adminNeedsMfa } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('status.forbiddenMeta') };
}

/** Rendered with HTTP 403 wherever a server component calls `forbidden()` (e.g. lib/admin.ts). */
export default async function Forbidden() {
  const t = await getT();
  // An admin refused only for want of a second factor (ADMIN_REQUIRE_MFA) is told how to get in.
  if (await adminNeedsMfa().catch(() => false)) {
    return (
      <ForbiddenPage
        title={t('status.adminMfaTitle')}
        message={t('status.adminMfaBody')}
        actions={<Link href="/settings/security">{t('status.adminMfaAction')}</Link>}
      />
    );
  }
  return <ForbiddenPage />;
}
