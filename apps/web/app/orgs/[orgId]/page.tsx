import type { Metadata } from 'next';
import { requireUser } from '@/lib/session';
import { OrgDetail } from './OrgDetail';

export const metadata: Metadata = { title: 'Organization' };

export default async function OrgPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const user = await requireUser(`/orgs/${encodeURIComponent(orgId)}`);
  return (
    <div className="container page">
      <OrgDetail orgId={orgId} userId={user.id} />
    </div>
  );
}
