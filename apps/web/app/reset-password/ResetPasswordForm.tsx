'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { PasswordRules } from '@/components/PasswordRules';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { meetsPasswordRules } from '@/lib/password-rules';

/** POST /api/auth/password/reset → 204; every session of the account ends. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [state, setState] = useState<'form' | 'done' | 'dead'>(token ? 'form' : 'dead');

  // Keep the token out of the address bar and history; it stays in this component's memory.
  useEffect(() => {
    if (token) window.history.replaceState(null, '', '/reset-password');
  }, [token]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!password) found.newPassword = 'Choose a new password.';
    else if (!meetsPasswordRules(password)) found.newPassword = 'Your new password does not meet all the rules below yet.';
    if (password && confirm !== password) found.confirmPassword = 'The two passwords do not match.';
    if (Object.keys(found).length) return setErrors({ message: 'Please correct the fields marked below.', fields: found });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await postPublic('/api/auth/password/reset', { token, newPassword: password });
      setState('done');
    } catch (error) {
      if (isAuthError(error) && error.code === 'INVALID_TOKEN') setState('dead');
      else setErrors(formErrorsFrom(error, ['newPassword']));
    } finally {
      setBusy(false);
    }
  }

  if (state === 'done') {
    return (
      <div className="stack">
        <FormAlert tone="success">Your password has been changed and every device has been signed out.</FormAlert>
        <Link href="/login">Sign in with your new password</Link>
      </div>
    );
  }
  if (state === 'dead') {
    return (
      <div className="stack">
        <FormAlert>This reset link is invalid, already used or expired.</FormAlert>
        <Link href="/forgot-password">Ask for a new link</Link>
      </div>
    );
  }
  return (
    <form className={shell.form} onSubmit={onSubmit} noValidate aria-busy={busy}>
      <FormAlert>{errors.message}</FormAlert>
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.fields.newPassword}
        hint={<PasswordRules password={password} />}
        autoFocus
      />
      <Field
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={errors.fields.confirmPassword}
      />
      <Button type="submit" block loading={busy} loadingText="Saving…">
        Set new password
      </Button>
    </form>
  );
}
