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
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

/** The person's organizations, and a form to create one. */
export function OrgsManager() {
  const { ready } = useAuth();
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
      <Card title="Your organizations">
        {list === null ? null : list.length === 0 ? (
          <EmptyState icon="◇" title="No organizations yet">
            Create one below, or accept an invitation.
          </EmptyState>
        ) : (
          <ul aria-label="Organizations">
            {list.map((m) => (
              <li key={m.organization.id} data-testid="org-row">
                <Link href={`/orgs/${m.organization.id}`}>{m.organization.name}</Link> · {m.role} · {m.memberCount} member{m.memberCount === 1 ? '' : 's'}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="New organization" description="You will be its owner.">
        <form onSubmit={create} className="stack" noValidate>
          <FormAlert>{errors.message}</FormAlert>
          <Field label="Name" name="name" required error={errors.fields?.name} />
          <Field label="Slug" name="slug" required hint="Lower-case letters, digits and dashes." error={errors.fields?.slug} />
          <Button type="submit" loading={busy}>
            Create organization
          </Button>
        </form>
      </Card>
    </div>
  );
}
