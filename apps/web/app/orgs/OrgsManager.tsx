'use client';
import type { Membership } from '@portcullis/contract';
import Link from 'next/link';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

/** The person's organizations, and a form to create one. */
export function OrgsManager() {
  const { ready } = useAuth();
  const t = useT();
  const orgs = useOrganizations();
  const [list, setList] = useState<Membership[] | null>(null);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    await ready();
    setList(await orgs.list());
  }, [orgs, ready]);
  useEffect(() => void load().catch(() => setList([])), [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setErrors({ fields: {} });
    try {
      const created = await orgs.create({ name: String(form.get('name') ?? ''), slug: String(form.get('slug') ?? '') });
      announceOrgsChanged();
      window.location.assign(`/orgs/${created.organization.id}`);
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name', 'slug']));
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <Card title={t('orgs.yours')}>
        {list === null ? null : list.length === 0 ? (
          <EmptyState icon="◇" title={t('orgs.empty')}>
            {t('orgs.emptyHint')}
          </EmptyState>
        ) : (
          <ul aria-label={t('orgs.list')}>
            {list.map((m) => (
              <li key={m.organization.id} data-testid="org-row">
                {rich(t(m.memberCount === 1 ? 'orgs.rowOne' : 'orgs.row'), {
                  name: <Link href={`/orgs/${m.organization.id}`}>{m.organization.name}</Link>,
                  role: m.role,
                  count: m.memberCount,
                })}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('orgs.new')} description={t('orgs.newHint')}>
        <form onSubmit={create} className="stack" noValidate>
          <FormAlert>{errors.message}</FormAlert>
          <Field label={t('orgs.name')} name="name" required error={errors.fields?.name} />
          <Field label={t('orgs.slug')} name="slug" required hint={t('orgs.slugHint')} error={errors.fields?.slug} />
          <Button type="submit" loading={busy}>
            {t('orgs.create')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
