import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';
import { AdminNav } from '../AdminNav';
import { Webhooks } from './Webhooks';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('admin.webhooks.metaTitle') };
}

export default async function AdminWebhooksPage() {
  await requireAdmin('/admin/webhooks');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('admin.eyebrow')} title={t('admin.nav.webhooks')} description={t('admin.webhooks.description')} />
      <AdminNav current="webhooks" />
      <Webhooks />
    </div>
  );
}
