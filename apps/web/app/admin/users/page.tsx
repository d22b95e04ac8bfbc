import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { getT } from '@/lib/i18n/server';
import { AdminNav } from '../AdminNav';
import { UsersAdmin } from './UsersAdmin';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('admin.users.metaTitle') };
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin('/admin/users');
  const params = await searchParams;
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('admin.eyebrow')} title={t('admin.users.title')} description={t('admin.users.description')} />
      <AdminNav current="users" />
      <UsersAdmin adminId={admin.id} initialQuery={first(params.query).trim()} />
    </div>
  );
}
