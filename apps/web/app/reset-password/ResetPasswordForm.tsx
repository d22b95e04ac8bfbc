'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { PasswordField } from '@/components/PasswordField';
import { PasswordRules } from '@/components/PasswordRules';
import { Spinner } from '@/components/Spinner';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { meetsPasswordRules } from '@/lib/password-rules';

type State = 'checking' | 'form' | 'done' | 'dead' | 'locked';

/**
 * The link is checked as the page opens (POST /api/auth/password/reset/check, which uses nothing
 * up), so a dead link is said before anyone types. Then POST /api/auth/password/reset → 204
 * (every session of the account ends) and a sign-in with the new password, so the person lands
 * signed in; an account with two-step verification goes on to the sign-in page for its code. A
 * locked account keeps its lock (the reset changes the password only): the sign-in is refused
 * (ACCOUNT_LOCKED) and the page says so instead of "sign in with your new password".
 */
export function ResetPasswordForm({ token }: { token: string }) {
  const { client, signedIn } = useAuth();
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [state, setState] = useState<State>(token ? 'checking' : 'dead');

  useEffect(() => {
    if (!token) return;
    // Keep the token out of the address bar and history; it stays in this component's memory.
    window.history.replaceState(null, '', '/reset-password');
    let cancelled = false;
    postPublic<{ email: string }>('/api/auth/password/reset/check', { token })
      .then((found) => {
        if (cancelled) return;
        setEmail(found.email);
        setState('form');
      })
      .catch((error: unknown) => {
        // Only a refused link is dead; offline or a busy server leaves the form (the reset itself will say).
        if (!cancelled) setState(isAuthError(error) && error.code === 'INVALID_TOKEN' ? 'dead' : 'form');
      });
    return () => {
      cancelled = true;
    };
  }, [token]);

  async function signInAfterReset() {
    if (!email) return setState('done');
    try {
      const result = await client.login({ email, password });
      if (result.mfaRequired) return window.location.assign('/login?notice=password_reset');
      signedIn(result.user);
      window.location.assign('/dashboard');
    } catch (error) {
      // e.g. rate limited: the password is changed all the same
      setState(isAuthError(error) && error.code === 'ACCOUNT_LOCKED' ? 'locked' : 'done');
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!password) found.newPassword = t('reset.choose');
    else if (!meetsPasswordRules(password)) found.newPassword = t('reset.notYet');
    if (password && confirm !== password) found.confirmPassword = t('reset.mismatch');
    if (Object.keys(found).length) return setErrors({ message: t('reset.correct'), fields: found });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await postPublic('/api/auth/password/reset', { token, newPassword: password });
    } catch (error) {
      if (isAuthError(error) && error.code === 'INVALID_TOKEN') setState('dead');
      else setErrors(formErrorsFrom(error, ['newPassword']));
      setBusy(false);
      return;
    }
    await signInAfterReset();
  }

  if (state === 'checking') {
    return (
      <p className="muted" role="status">
        <Spinner /> {t('reset.checking')}
      </p>
    );
  }
  if (state === 'done') {
    return (
      <div className="stack">
        <FormAlert tone="success">{t('reset.done')}</FormAlert>
        <Link href="/login">{t('reset.signIn')}</Link>
      </div>
    );
  }
  if (state === 'locked') {
    return (
      <div className="stack" data-testid="reset-locked">
        <FormAlert tone="success">{t('reset.doneLocked')}</FormAlert>
        <FormAlert>{t('reason.locked')}</FormAlert>
      </div>
    );
  }
  if (state === 'dead') {
    return (
      <div className="stack">
        <FormAlert>{t('reset.dead')}</FormAlert>
        <Link href="/forgot-password">{t('reset.askAgain')}</Link>
      </div>
    );
  }
  return (
    <form className={shell.form} onSubmit={onSubmit} noValidate aria-busy={busy}>
      {email && <p className="muted">{t('reset.forAccount', { email })}</p>}
      {/* For password managers: the account the new password belongs to (not shown, not focusable). */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormAlert>{errors.message}</FormAlert>
      <PasswordField
        label={t('reset.newPassword')}
        name="newPassword"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.fields.newPassword}
        hint={<PasswordRules password={password} />}
        autoFocus
      />
      <PasswordField
        label={t('reset.confirm')}
        name="confirmPassword"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={errors.fields.confirmPassword}
      />
      <Button type="submit" block loading={busy} loadingText={t('reset.saving')}>
        {t('reset.submit')}
      </Button>
    </form>
  );
}
