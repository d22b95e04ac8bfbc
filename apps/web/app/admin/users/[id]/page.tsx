import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';
import { AdminNav } from '../../AdminNav';
import { UserDetail } from './UserDetail';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('admin.user.metaTitle') };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One user's page: who they are, how they sign in, what they did, and the actions to stop them. */
export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const admin = await requireAdmin(`/admin/users/${encodeURIComponent(id)}`);
  if (!UUID.test(id)) notFound();
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('admin.eyebrow')} title={t('admin.user.title')} />
      <AdminNav current="users" />
      <UserDetail userId={id.toLowerCase()} adminId={admin.id} />
    </div>
  );
}
