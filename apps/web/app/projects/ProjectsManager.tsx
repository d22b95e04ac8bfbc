'use client';
import type { projects, ResponseOf } from '@portcullis/contract';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Pager } from '@/components/Pager';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { apiJson, queryString } from '@/lib/api';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';
import { Time } from '@/components/Time';
import { ProjectForm, type ProjectInput } from './ProjectForm';
import type { Project } from '@portcullis/sdk';
import styles from './projects.module.css';

type Page = ResponseOf<typeof projects.listProjects>;

const LIMIT = 20;

/** Own projects (create, edit, delete); moderators and admins can switch to everyone's. */
export function ProjectsManager({ userId, moderatorView }: { userId: string; moderatorView: boolean }) {
  const { client } = useAuth();
  const t = useT();
  const [everyone, setEveryone] = useState(false);
  const [page, setPage] = useState(1);
  const {
    data,
    setData,
    loading,
    error: loadError,
    reload: load,
  } = useApiGet<Page>(`/api/projects${queryString({ all: everyone ? 'true' : undefined, page, limit: LIMIT })}`);
  const [actionError, setError] = useState<string>();
  const error = actionError ?? (loadError ? formErrorsFrom(loadError, []).message : undefined);
  const [notice, setNotice] = useState<string>();
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  async function create(input: ProjectInput) {
    const { project } = await apiJson<ResponseOf<typeof projects.createProject>>(client, 'POST', '/api/projects', {
      name: input.name,
      description: input.description || undefined,
    });
    setNotice(t('projects.created', { name: project.name }));
    if (page === 1) await load();
    else setPage(1);
  }

  async function save(project: Project, input: ProjectInput) {
    const { project: saved } = await apiJson<ResponseOf<typeof projects.updateProject>>(client, 'PATCH', `/api/projects/${project.id}`, input);
    setData((d) => d && { ...d, projects: d.projects.map((p) => (p.id === saved.id ? saved : p)) });
    setEditing(null);
    setNotice(t('projects.saved', { name: saved.name }));
  }

  async function remove(project: Project) {
    setDeleting(true);
    setError(undefined);
    try {
      await apiJson(client, 'DELETE', `/api/projects/${project.id}`);
      setConfirming(null);
      setNotice(t('projects.deleted', { name: project.name }));
      await load();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setDeleting(false);
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;

  return (
    <div className="stack">
      <Card title={t('projects.new')} description={t('projects.newHint')}>
        <ProjectForm submitLabel={t('projects.create')} onSubmit={create} />
      </Card>
      <Card
        title={everyone ? t('projects.everyones') : t('projects.yours')}
        description={data ? t('orgs.inAll', { count: data.total }) : undefined}
        actions={
          moderatorView && (
            <div className={styles.toggle} role="group" aria-label={t('projects.which')}>
              <Button size="sm" variant={everyone ? 'ghost' : 'secondary'} aria-pressed={!everyone} onClick={() => (setEveryone(false), setPage(1))}>
                {t('projects.mine')}
              </Button>
              <Button
                size="sm"
                variant={everyone ? 'secondary' : 'ghost'}
                aria-pressed={everyone}
                onClick={() => (setEveryone(true), setPage(1))}
                data-testid="view-all-projects"
              >
                {t('projects.everyone')}
              </Button>
            </div>
          )
        }
      >
        <FormAlert>{error}</FormAlert>
        <FormAlert tone="success">{notice}</FormAlert>
        {data === null ? (
          loading && (
            <p role="status" className="muted">
              <Spinner /> {t('projects.loading')}
            </p>
          )
        ) : data.projects.length === 0 ? (
          <EmptyState icon="◇" title={t('projects.empty')}>
            {everyone ? t('projects.emptyEveryone') : t('projects.emptyMine')}
          </EmptyState>
        ) : (
          <ul className={styles.list} aria-label={t('projects.list')}>
            {data.projects.map((project) => (
              <li key={project.id} className={styles.item} data-testid="project-row">
                {editing === project.id ? (
                  <ProjectForm
                    initial={project}
                    submitLabel={t('projects.save')}
                    onSubmit={(input) => save(project, input)}
                    onCancel={() => setEditing(null)}
                  />
                ) : (
                  <>
                    <div className={styles.meta}>
                      <p className={styles.name}>{project.name}</p>
                      {project.description && <p className={styles.description}>{project.description}</p>}
                      <p className={styles.details}>
                        {rich(t('projects.details'), {
                          owner:
                            project.ownerId === userId ? (
                              t('projects.yoursShort')
                            ) : (
                              <span data-testid="project-owner">{t('projects.owner', { id: project.ownerId.slice(0, 8) })}</span>
                            ),
                          time: <Time iso={project.updatedAt} />,
                        })}
                      </p>
                    </div>
                    {confirming === project.id ? (
                      <div className={styles.confirm} role="group" aria-label={t('projects.confirmLabel', { name: project.name })}>
                        <span>{t('projects.confirm', { name: project.name })}</span>
                        <Button size="sm" variant="danger" loading={deleting} onClick={() => remove(project)}>
                          {t('projects.yesDelete')}
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => setConfirming(null)} disabled={deleting}>
                          {t('projects.keep')}
                        </Button>
                      </div>
                    ) : (
                      <div className={styles.actions}>
                        <Button
                          size="sm"
                          variant="secondary"
                          onClick={() => (setEditing(project.id), setNotice(undefined))}
                          aria-label={t('projects.editLabel', { name: project.name })}
                        >
                          {t('projects.edit')}
                        </Button>
                        <Button
                          size="sm"
                          variant="danger"
                          onClick={() => (setConfirming(project.id), setNotice(undefined))}
                          aria-label={t('projects.deleteLabel', { name: project.name })}
                        >
                          {t('projects.delete')}
                        </Button>
                      </div>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager page={page} pages={pages} busy={loading} onPage={setPage} previousLabel={t('projects.newer')} nextLabel={t('projects.older')} />
      </Card>
    </div>
  );
}
