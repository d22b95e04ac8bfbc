'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { PasswordRules } from '@/components/PasswordRules';
import { useHasPassword } from '@/components/useHasPassword';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { meetsPasswordRules } from '@/lib/password-rules';
import { SetPasswordByMail } from './SetPasswordByMail';
import styles from './security.module.css';

const EMPTY = { currentPassword: '', newPassword: '', confirmPassword: '' };

/** POST /api/auth/password/change → 204; the API signs out every other session. */
export function ChangePasswordForm({ email }: { email: string }) {
  const { client, ready } = useAuth();
  const t = useT();
  const hasPassword = useHasPassword();
  const [values, setValues] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [done, setDone] = useState<string>();

  const set = (name: keyof typeof EMPTY) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(undefined);
    const found: Record<string, string> = {};
    if (!values.currentPassword) found.currentPassword = t('security.missingCurrent');
    if (!values.newPassword) found.newPassword = t('reset.choose');
    else if (!meetsPasswordRules(values.newPassword)) found.newPassword = t('reset.notYet');
    else if (values.newPassword === values.currentPassword) found.newPassword = t('security.samePassword');
    if (values.newPassword && values.confirmPassword !== values.newPassword) found.confirmPassword = t('security.mismatch');
    if (Object.keys(found).length) return setErrors({ message: t('error.VALIDATION_FAILED'), fields: found });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await ready();
      await client.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      setValues(EMPTY);
      setDone(t('security.passwordChanged'));
    } catch (error) {
      if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS') {
        setErrors({ message: t('security.wrongCurrent'), fields: { currentPassword: t('security.notCurrent') } });
      } else if (isAuthError(error) && (error.status === 404 || error.status === 405)) {
        setErrors({ message: t('security.changeUnavailable'), fields: {} });
      } else {
        setErrors(formErrorsFrom(error, ['currentPassword', 'newPassword']));
      }
    } finally {
      setBusy(false);
    }
  }

  if (!hasPassword) return <SetPasswordByMail email={email} />;
  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy}>
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormAlert>{errors.message}</FormAlert>
      <FormAlert tone="success">{done}</FormAlert>
      <Field
        label={t('security.currentPassword')}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        value={values.currentPassword}
        onChange={set('currentPassword')}
        error={errors.fields.currentPassword}
      />
      <Field
        label={t('reset.newPassword')}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={values.newPassword}
        onChange={set('newPassword')}
        error={errors.fields.newPassword}
        hint={<PasswordRules password={values.newPassword} />}
      />
      <Field
        label={t('reset.confirm')}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={values.confirmPassword}
        onChange={set('confirmPassword')}
        error={errors.fields.confirmPassword}
      />
      <div>
        <Button type="submit" loading={busy} loadingText={t('security.changing')}>
          {t('security.passwordCard')}
        </Button>
      </div>
    </form>
  );
}
