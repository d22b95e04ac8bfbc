'use client';
import type { organizations, ResponseOf } from '@portcullis/contract';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { useOrganizations } from '@/components/useOrganizations';

type Page = ResponseOf<typeof organizations.listOrgProjects>;

/** The organization's projects: every member reads and writes them; owners and admins delete. */
export function OrgProjects({ orgId, canDelete }: { orgId: string; canDelete: boolean }) {
  const t = useT();
  const orgs = useOrganizations();
  const { data, reload } = useApiGet<Page>(`/api/orgs/${encodeURIComponent(orgId)}/projects?limit=100`);
  const [error, setError] = useState<string>();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    setError(undefined);
    try {
      await orgs.createProject(orgId, { name: String(new FormData(formEl).get('name') ?? '') });
      formEl.reset();
      await reload();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    }
  }

  async function remove(projectId: string) {
    setError(undefined);
    try {
      await orgs.deleteProject(orgId, projectId);
      await reload();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    }
  }

  return (
    <Card title={t('orgs.projects.title')} description={t('orgs.projects.description')}>
      <FormAlert>{error}</FormAlert>
      <ul aria-label={t('orgs.projects.list')}>
        {data?.projects.map((p) => (
          <li key={p.id} data-testid="org-project-row">
            {p.name}{' '}
            {canDelete && (
              <Button size="sm" variant="danger" onClick={() => remove(p.id)} aria-label={t('orgs.projects.deleteLabel', { name: p.name })}>
                {t('orgs.projects.delete')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={create} className="stack" noValidate>
        <Field label={t('orgs.projects.name')} name="name" required />
        <Button type="submit">{t('orgs.projects.create')}</Button>
      </form>
    </Card>
  );
}
