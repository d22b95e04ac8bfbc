import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireUser } from '@/lib/session';
import { OrgsManager } from './OrgsManager';

export const metadata: Metadata = { title: 'Organizations' };

export default async function OrgsPage() {
  await requireUser('/orgs');
  return (
    <div className="container page">
      <PageHeader eyebrow="Organizations" title="Organizations" description="Teams you belong to: shared projects, members and their roles." />
      <OrgsManager />
    </div>
  );
}
