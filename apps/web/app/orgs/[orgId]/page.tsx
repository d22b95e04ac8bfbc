import type { Metadata } from 'next';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { OrgDetail } from './OrgDetail';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('orgs.org.metaTitle') };
}

export default async function OrgPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const user = await requireUser(`/orgs/${encodeURIComponent(orgId)}`);
  return (
    <div className="container page">
      <OrgDetail orgId={orgId} userId={user.id} />
    </div>
  );
}
