'use client';
import { ORG_ROLES, orgRoleAtMost, type OrgRole } from '@portcullis/sdk';
import type { OrgInvitation } from '@portcullis/contract';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { useOrganizations } from '@/components/useOrganizations';

/** Invite by email with a role no higher than one's own; pending invitations with revoke and resend. */
export function OrgInvitations({ orgId, role }: { orgId: string; role: OrgRole }) {
  const { ready } = useAuth();
  const orgs = useOrganizations();
  const [pending, setPending] = useState<OrgInvitation[]>([]);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async () => {
    await ready();
    setPending(await orgs.invitations(orgId));
  }, [orgs, orgId, ready]);
  useEffect(() => void load().catch(() => setPending([])), [load]);

  async function run(action: () => Promise<unknown>, done: string) {
    setErrors({ fields: {} });
    setNotice(undefined);
    try {
      await action();
      setNotice(done);
      await load();
    } catch (err) {
      setErrors(formErrorsFrom(err, ['email', 'role']));
    }
  }

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const email = String(form.get('email') ?? '');
    void run(async () => {
      await orgs.invite(orgId, { email, role: String(form.get('role')) as OrgRole });
      formEl.reset();
    }, `Invitation sent to ${email}.`);
  }

  return (
    <Card title="Invitations" description="A single-use link, valid 7 days, for the invited address only.">
      <FormAlert>{errors.message}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      <form onSubmit={invite} className="stack" noValidate>
        <Field label="Email to invite" name="email" type="email" required error={errors.fields.email} />
        <label>
          Role{' '}
          <select name="role" defaultValue="member" aria-label="Invitation role">
            {ORG_ROLES.filter((r) => orgRoleAtMost(r, role)).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit">Send invitation</Button>
      </form>
      <ul aria-label="Pending invitations">
        {pending.map((i) => (
          <li key={i.id} data-testid="invitation-row">
            {i.email} · {i.role} · expires {formatDateTime(i.expiresAt)}{' '}
            <Button size="sm" variant="secondary" onClick={() => run(() => orgs.resendInvitation(orgId, i.id), `Sent again to ${i.email}.`)}>
              Resend
            </Button>{' '}
            <Button size="sm" variant="danger" onClick={() => run(() => orgs.revokeInvitation(orgId, i.id), `Revoked the invitation of ${i.email}.`)}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
