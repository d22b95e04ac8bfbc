import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireAdmin } from '@/lib/admin';
import { AdminNav } from '../AdminNav';
import { Webhooks } from './Webhooks';

export const metadata: Metadata = { title: 'Webhooks · Admin' };

export default async function AdminWebhooksPage() {
  await requireAdmin('/admin/webhooks');
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Admin"
        title="Webhooks"
        description="Other systems hear of sign-ups, changes, sessions and deletions here, signed per the Standard Webhooks specification."
      />
      <AdminNav current="webhooks" />
      <Webhooks />
    </div>
  );
}
