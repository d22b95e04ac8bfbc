import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { OrgsManager } from './OrgsManager';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('orgs.title') };
}

export default async function OrgsPage() {
  await requireUser('/orgs');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('orgs.title')} title={t('orgs.title')} description={t('orgs.description')} />
      <OrgsManager />
    </div>
  );
}
