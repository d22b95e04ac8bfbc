import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { AdminNav } from '../AdminNav';
import { UsersAdmin } from './UsersAdmin';

export const metadata: Metadata = { title: 'Users · Admin' };

export default async function AdminUsersPage() {
  const admin = await requireAdmin('/admin/users');
  return (
    <div className="container page">
      <PageHeader eyebrow="Admin" title="Users" description="Search accounts, change roles, sign people out, or delete accounts. Every action is recorded in the audit log." />
      <AdminNav current="users" />
      <UsersAdmin adminId={admin.id} />
    </div>
  );
}
