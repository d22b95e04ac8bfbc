'use client';
import { isAuthError } from '@portcullis/sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { apiJson } from '@/lib/api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { loginUrlFor } from '@/lib/redirect';
import styles from './profile.module.css';

const NO_ERRORS: FormErrors = { fields: {} };
/** Where the API sends people who must sign in again (an account without a password, signed in too long ago). */
const SESSION_FIELD = 'session';

/** The wording of this form for the API's refusals. */
function deleteErrors(error: unknown): FormErrors & { signInAgain?: boolean } {
  const found = formErrorsFrom(error, ['password', 'code']);
  if (!isAuthError(error)) return found;
  const stale = error.details.find((d) => d.field === SESSION_FIELD);
  if (error.code === 'INVALID_CREDENTIALS' && stale) return { message: stale.message, fields: {}, signInAgain: true };
  if (error.code === 'INVALID_CREDENTIALS') return { message: 'Your password is not right.', fields: { password: 'This is not your password.' } };
  if (error.code === 'INVALID_MFA_CODE') return { message: 'That code is not right.', fields: { code: 'Check your app (or your recovery codes) and try again.' } };
  return found;
}

/**
 * The danger zone: two steps, then DELETE /api/auth/me with the password (when the account has
 * one) and a code (when MFA is on). Afterwards the browser is signed out and lands on /login.
 */
export function DeleteAccount({ email, mfaEnabled }: { email: string; mfaEnabled: boolean }) {
  const { client, ready } = useAuth();
  const [confirming, setConfirming] = useState(false);
  // Unknown until asked: assume a password, the usual case, rather than explain a rule that does not apply.
  const [hasPassword, setHasPassword] = useState(true);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors & { signInAgain?: boolean }>(NO_ERRORS);

  useEffect(() => {
    if (!confirming) return;
    let cancelled = false;
    ready()
      .then(() => apiJson<{ hasPassword: boolean }>(client, 'GET', '/api/auth/oauth/accounts'))
      .then((answer) => {
        if (!cancelled) setHasPassword(answer.hasPassword);
      })
      .catch(() => undefined); // keep asking for a password; the API says if it is not needed
    return () => {
      cancelled = true;
    };
  }, [confirming, client, ready]);

  function cancel() {
    setConfirming(false);
    setPassword('');
    setCode('');
    setErrors(NO_ERRORS);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = code.trim();
    const found: Record<string, string> = {};
    if (hasPassword && !password) found.password = 'Enter your password.';
    if (mfaEnabled && !value) found.code = 'Enter a code from your app, or a recovery code.';
    if (Object.keys(found).length) return setErrors({ message: 'Please fill in the fields marked below.', fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      const digits = value.replace(/\s+/g, '');
      const secondFactor = !mfaEnabled ? {} : /^\d{6}$/.test(digits) ? { code: digits } : { recoveryCode: value };
      await client.deleteAccount({ ...(hasPassword ? { password } : {}), ...secondFactor });
      // A full load: nothing of the signed-in pages stays in memory.
      window.location.assign('/login?notice=account_deleted');
    } catch (error) {
      setErrors(deleteErrors(error));
      setBusy(false);
    }
  }

  async function signInAgain() {
    await client.logout().catch(() => undefined);
    window.location.assign(loginUrlFor('/settings/profile'));
  }

  if (!confirming) {
    return (
      <div>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete account…
        </Button>
      </div>
    );
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label="Confirm deleting your account">
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <p className={styles.note}>
        Your account <strong>{email}</strong>, your projects and every session will be deleted at once. We will email you to confirm.
      </p>
      {!hasPassword && (
        <p className={styles.note}>
          Your account has no password, so we check that it is really you by a recent sign-in: you must have signed in within the last 10 minutes. If it has been longer, sign in again first.
        </p>
      )}
      <FormAlert>{errors.message}</FormAlert>
      {errors.signInAgain && (
        <div>
          <Button variant="secondary" onClick={signInAgain}>
            Sign in again
          </Button>
        </div>
      )}
      {hasPassword && (
        <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={errors.fields.password} autoFocus />
      )}
      {mfaEnabled && (
        <Field label="Code from the app, or a recovery code" name="code" autoComplete="one-time-code" maxLength={64} required value={code} onChange={(e) => setCode(e.target.value)} error={errors.fields.code} autoFocus={!hasPassword} />
      )}
      <div className={styles.actions}>
        <Button type="submit" variant="danger" loading={busy} loadingText="Deleting…">
          Delete my account for good
        </Button>
        <Button variant="ghost" onClick={cancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
