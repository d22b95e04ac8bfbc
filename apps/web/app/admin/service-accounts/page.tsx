import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { AdminNav } from '../AdminNav';
import { ServiceAccounts } from './ServiceAccounts';

export const metadata: Metadata = { title: 'Service accounts · Admin' };

export default async function AdminServiceAccountsPage() {
  await requireAdmin('/admin/service-accounts');
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Admin"
        title="Service accounts"
        description="Machine clients get access tokens at POST /api/oauth/token with the OAuth 2.0 client credentials grant, with the role you give them."
      />
      <AdminNav current="service-accounts" />
      <ServiceAccounts />
    </div>
  );
}
