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
import { meetsPasswordRules } from '@/lib/password-rules';
import { SetPasswordByMail } from './SetPasswordByMail';
import styles from './security.module.css';

const EMPTY = { currentPassword: '', newPassword: '', confirmPassword: '' };

/** POST /api/auth/password/change → 204; the API signs out every other session. */
export function ChangePasswordForm({ email }: { email: string }) {
  const { client, ready } = useAuth();
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
    if (!values.currentPassword) found.currentPassword = 'Enter your current password.';
    if (!values.newPassword) found.newPassword = 'Choose a new password.';
    else if (!meetsPasswordRules(values.newPassword)) found.newPassword = 'Your new password does not meet all the rules below yet.';
    else if (values.newPassword === values.currentPassword) found.newPassword = 'Choose a password different from your current one.';
    if (values.newPassword && values.confirmPassword !== values.newPassword) found.confirmPassword = 'The two new passwords do not match.';
    if (Object.keys(found).length) return setErrors({ message: 'Please correct the fields marked below.', fields: found });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await ready();
      await client.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      setValues(EMPTY);
      setDone('Password changed. Every other device has been signed out.');
    } catch (error) {
      if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS') {
        setErrors({ message: 'Your current password is not right.', fields: { currentPassword: 'This is not your current password.' } });
      } else if (isAuthError(error) && (error.status === 404 || error.status === 405)) {
        setErrors({ message: 'Changing your password is not available yet on this server.', fields: {} });
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
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        value={values.currentPassword}
        onChange={set('currentPassword')}
        error={errors.fields.currentPassword}
      />
      <Field
        label="New password"
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
        label="Confirm new password"
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
        <Button type="submit" loading={busy} loadingText="Changing password…">
          Change password
        </Button>
      </div>
    </form>
  );
}
