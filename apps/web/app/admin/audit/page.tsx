import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { AdminNav } from '../AdminNav';
import { AuditLog } from './AuditLog';

export const metadata: Metadata = { title: 'Audit log · Admin' };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin('/admin/audit');
  const params = await searchParams;
  return (
    <div className="container page">
      <PageHeader eyebrow="Admin" title="Audit log" description="Security-relevant events, newest first: who did what, from where." />
      <AdminNav current="audit" />
      <AuditLog initial={{ userId: first(params.userId), actorId: first(params.actorId), type: first(params.type) }} />
    </div>
  );
}
