'use client';
import { ROLES, type Role } from '@portcullis/sdk';
import { useId, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import styles from '../admin.module.css';

/** Create an account by invitation: the person is mailed a link to choose their password. */
export function InviteForm({ onInvited }: { onInvited(email: string): void }) {
  const t = useT();
  const { client } = useAuth();
  const [open, setOpen] = useState(false);
  const [working, setWorking] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const roleId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    setWorking(true);
    setErrors({ fields: {} });
    try {
      // The API asks for the password unless the sign-in is recent (an invitation outlives this session's token).
      const password = String(form.get('password') ?? '') || undefined;
      await client.admin.inviteUser({ email, displayName: String(form.get('displayName') ?? ''), role: String(form.get('role') ?? 'user') as Role, password });
      setOpen(false);
      onInvited(email);
    } catch (err) {
      setErrors(formErrorsFrom(err, ['email', 'displayName', 'role', 'password']));
    } finally {
      setWorking(false);
    }
  }

  if (!open)
    return (
      <Button variant="primary" onClick={() => setOpen(true)}>
        {t('admin.invite.open')}
      </Button>
    );
  return (
    <form className={styles.invite} onSubmit={submit} aria-label={t('admin.invite.title')} noValidate>
      <p className="muted">{t('admin.invite.hint')}</p>
      <FormAlert fieldErrors={errors.fields}>{errors.message}</FormAlert>
      <Field label={t('admin.invite.name')} name="displayName" autoComplete="off" required error={errors.fields.displayName} />
      <Field label={t('admin.invite.email')} name="email" type="email" autoComplete="off" required error={errors.fields.email} />
      <div className={styles.selectField}>
        <label htmlFor={roleId}>{t('admin.invite.role')}</label>
        <select id={roleId} name="role" className={styles.select} defaultValue="user">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`admin.role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <Field
        label={t('admin.invite.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        hint={t('admin.invite.passwordHint')}
        error={errors.fields.password}
      />
      <div className={styles.rowActions}>
        <Button type="submit" loading={working}>
          {t('admin.invite.submit')}
        </Button>
        <Button variant="ghost" disabled={working} onClick={() => setOpen(false)}>
          {t('admin.invite.cancel')}
        </Button>
      </div>
    </form>
  );
}
