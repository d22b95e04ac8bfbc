import { mayAccessAll } from '@portcullis/sdk';
import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { ProjectsManager } from './ProjectsManager';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('projects.title') };
}

export default async function ProjectsPage() {
  const user = await requireUser('/projects');
  // The role comes from the server's session check, so a role change shows on the next request.
  const moderatorView = mayAccessAll(user.role, 'read');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader
        eyebrow={t('projects.title')}
        title={t('projects.title')}
        description={moderatorView ? t('projects.descriptionAll', { role: user.role }) : t('projects.description')}
      />
      <ProjectsManager userId={user.id} moderatorView={moderatorView} />
    </div>
  );
}
