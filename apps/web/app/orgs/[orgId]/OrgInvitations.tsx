'use client';
import { ORG_ROLES, orgRoleAtMost, type OrgRole } from '@portcullis/sdk';
import type { OrgInvitation } from '@portcullis/contract';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { Field } from '@/components/Field';
import { RecentPasswordField } from '@/components/FreshSignIn';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { useT } from '@/lib/i18n/client';
import { useOrganizations } from '@/components/useOrganizations';

/** Invite by email with a role no higher than one's own; pending invitations with revoke and resend. */
export function OrgInvitations({ orgId, role }: { orgId: string; role: OrgRole }) {
  const { ready } = useAuth();
  const t = useT();
  const orgs = useOrganizations();
  const [pending, setPending] = useState<OrgInvitation[]>([]);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [notice, setNotice] = useState<string>();
  // Membership outlives the access token: the API asks for the password unless the sign-in is recent.
  const [password, setPassword] = useState('');

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
      setErrors(formErrorsFrom(err, ['email', 'role', 'password']));
    }
  }

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const email = String(form.get('email') ?? '');
    void run(
      async () => {
        await orgs.invite(orgId, { email, role: String(form.get('role')) as OrgRole, ...(password && { password }) });
        formEl.reset();
        setPassword('');
      },
      t('orgs.invitations.sent', { email }),
    );
  }

  return (
    <Card title={t('orgs.invitations.title')} description={t('orgs.invitations.description')}>
      <FormAlert>{errors.message}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      <form onSubmit={invite} className="stack" noValidate>
        <Field label={t('orgs.invitations.email')} name="email" type="email" required error={errors.fields.email} />
        <label>
          {t('orgs.invitations.role')}{' '}
          <select name="role" defaultValue="member" aria-label={t('orgs.invitations.roleLabel')}>
            {ORG_ROLES.filter((r) => orgRoleAtMost(r, role)).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <RecentPasswordField value={password} onChange={setPassword} error={errors.fields.password} />
        <Button type="submit">{t('orgs.invitations.send')}</Button>
      </form>
      <ul aria-label={t('orgs.invitations.pending')}>
        {pending.map((i) => (
          <li key={i.id} data-testid="invitation-row">
            {t('orgs.invitations.row', { email: i.email, role: i.role, date: formatDateTime(i.expiresAt) })}{' '}
            <Button
              size="sm"
              variant="secondary"
              onClick={() => run(() => orgs.resendInvitation(orgId, i.id), t('orgs.invitations.resent', { email: i.email }))}
            >
              {t('orgs.invitations.resend')}
            </Button>{' '}
            <Button size="sm" variant="danger" onClick={() => run(() => orgs.revokeInvitation(orgId, i.id), t('orgs.invitations.revoked', { email: i.email }))}>
              {t('orgs.invitations.revoke')}
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
