import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { AdminNav } from '../AdminNav';
import { UsersAdmin } from './UsersAdmin';

export const metadata: Metadata = { title: 'Users · Admin' };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin('/admin/users');
  const params = await searchParams;
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Admin"
        title="Users"
        description="Search accounts, change roles, sign people out, or delete accounts. Every action is recorded in the audit log."
      />
      <AdminNav current="users" />
      <UsersAdmin adminId={admin.id} initialQuery={first(params.query).trim()} />
    </div>
  );
}
