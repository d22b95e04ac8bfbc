import { mayAccessAll } from '@portcullis/sdk';
import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { requireUser } from '@/lib/session';
import { ProjectsManager } from './ProjectsManager';

export const metadata: Metadata = { title: 'Projects' };

export default async function ProjectsPage() {
  const user = await requireUser('/projects');
  // The role comes from the server's session check, so a role change shows on the next request.
  const moderatorView = mayAccessAll(user.role, 'read');
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Projects"
        title="Projects"
        description={moderatorView ? 'Your projects, and as a ' + user.role + ' everyone else’s too.' : 'Create and manage your own projects.'}
      />
      <ProjectsManager userId={user.id} moderatorView={moderatorView} />
    </div>
  );
}
