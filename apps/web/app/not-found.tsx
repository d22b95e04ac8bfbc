import Link from 'next/link';
import { StatusPage } from '@/components/StatusPage';
import { getT } from '@/lib/i18n/server';

export default async function NotFound() {
  const t = await getT();
  return (
    <StatusPage
      code="404"
      title={t('status.notFoundTitle')}
      actions={
        <>
          <Link href="/">{t('status.homeLink')}</Link>
          <Link href="/dashboard">{t('status.dashboard')}</Link>
        </>
      }
    >
      <p>{t('status.notFoundBody')}</p>
    </StatusPage>
  );
}
