import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';
import { AdminNav } from '../AdminNav';
import { OrgsAdmin } from './OrgsAdmin';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('admin.orgs.metaTitle') };
}

export default async function AdminOrgsPage() {
  await requireAdmin('/admin/orgs');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('admin.eyebrow')} title={t('admin.nav.orgs')} description={t('admin.orgs.description')} />
      <AdminNav current="orgs" />
      <OrgsAdmin />
    </div>
  );
}
