import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { AdminNav } from '../AdminNav';
import { OrgsAdmin } from './OrgsAdmin';

export const metadata: Metadata = { title: 'Organizations · Admin' };

export default async function AdminOrgsPage() {
  await requireAdmin('/admin/orgs');
  return (
    <div className="container page">
      <PageHeader eyebrow="Admin" title="Organizations" description="Every organization and its members." />
      <AdminNav current="orgs" />
      <OrgsAdmin />
    </div>
  );
}
