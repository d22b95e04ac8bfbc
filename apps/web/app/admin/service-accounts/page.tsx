import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';
import { AdminNav } from '../AdminNav';
import { ServiceAccounts } from './ServiceAccounts';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('admin.serviceAccounts.metaTitle') };
}

export default async function AdminServiceAccountsPage() {
  await requireAdmin('/admin/service-accounts');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('admin.eyebrow')} title={t('admin.nav.serviceAccounts')} description={t('admin.serviceAccounts.description')} />
      <AdminNav current="service-accounts" />
      <ServiceAccounts />
    </div>
  );
}
