import { redirect } from 'next/navigation';
import { requireAdmin } from '@/lib/admin';

export default async function AdminIndex() {
  await requireAdmin('/admin');
  redirect('/admin/users');
}
