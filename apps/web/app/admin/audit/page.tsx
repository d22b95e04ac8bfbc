import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';
import { AdminNav } from '../AdminNav';
import { AuditLog } from './AuditLog';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('admin.audit.metaTitle') };
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/audit');
  const params = await searchParams;
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('admin.eyebrow')} title={t('admin.audit.title')} description={t('admin.audit.description')} />
      <AdminNav current="audit" />
      <AuditLog
        initial={{ person: first(params.person), userId: first(params.userId), type: first(params.type), from: first(params.from), to: first(params.to) }}
      />
    </div>
  );
}
