'use client';
import type { Membership } from '@portcullis/contract';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

/** Owners: rename, slug, logo; delete with the password (its projects go with it). */
export function OrgSettings({ membership, onSaved }: { membership: Membership; onSaved(m: Membership): void }) {
  const t = useT();
  const orgs = useOrganizations();
  const org = membership.organization;
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [deleteErrors, setDeleteErrors] = useState<FormErrors>({ fields: {} });
  const [notice, setNotice] = useState<string>();

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const logo = String(form.get('logoUrl') ?? '').trim();
    setErrors({ fields: {} });
    setNotice(undefined);
    try {
      onSaved(await orgs.update(org.id, { name: String(form.get('name') ?? ''), slug: String(form.get('slug') ?? ''), logoUrl: logo || null }));
      setNotice(t('orgs.settings.saved'));
      announceOrgsChanged();
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name', 'slug', 'logoUrl']));
    }
  }

  async function remove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setDeleteErrors({ fields: {} });
    try {
      await orgs.remove(org.id, { password: password || undefined });
      announceOrgsChanged();
      window.location.assign('/orgs');
    } catch (err) {
      setDeleteErrors(formErrorsFrom(err, ['password']));
    }
  }

  return (
    <Card title={t('orgs.settings.title')}>
      <form onSubmit={save} className="stack" noValidate>
        <FormAlert>{errors.message}</FormAlert>
        <FormAlert tone="success">{notice}</FormAlert>
        <Field label={t('orgs.settings.name')} name="name" defaultValue={org.name} error={errors.fields.name} />
        <Field label={t('orgs.settings.slug')} name="slug" defaultValue={org.slug} error={errors.fields.slug} />
        <Field label={t('orgs.settings.logo')} name="logoUrl" defaultValue={org.logoUrl ?? ''} error={errors.fields.logoUrl} />
        <Button type="submit">{t('orgs.settings.save')}</Button>
      </form>
      <form onSubmit={remove} className="stack" noValidate>
        <FormAlert>{deleteErrors.message}</FormAlert>
        <Field label={t('orgs.settings.password')} name="password" type="password" error={deleteErrors.fields.password} />
        <Button type="submit" variant="danger">
          {t('orgs.settings.delete')}
        </Button>
      </form>
    </Card>
  );
}
