'use client';
import type { Membership } from '@portcullis/contract';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

/** Owners: rename, slug, logo; delete with the password (its projects go with it). */
export function OrgSettings({ membership, onSaved }: { membership: Membership; onSaved(m: Membership): void }) {
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
      setNotice('Saved.');
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
    <Card title="Settings">
      <form onSubmit={save} className="stack" noValidate>
        <FormAlert>{errors.message}</FormAlert>
        <FormAlert tone="success">{notice}</FormAlert>
        <Field label="Organization name" name="name" defaultValue={org.name} error={errors.fields.name} />
        <Field label="Slug" name="slug" defaultValue={org.slug} error={errors.fields.slug} />
        <Field label="Logo URL (https)" name="logoUrl" defaultValue={org.logoUrl ?? ''} error={errors.fields.logoUrl} />
        <Button type="submit">Save settings</Button>
      </form>
      <form onSubmit={remove} className="stack" noValidate>
        <FormAlert>{deleteErrors.message}</FormAlert>
        <Field label="Your password, to delete the organization and its projects" name="password" type="password" error={deleteErrors.fields.password} />
        <Button type="submit" variant="danger">
          Delete organization
        </Button>
      </form>
    </Card>
  );
}
