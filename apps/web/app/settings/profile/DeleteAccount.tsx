'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import { rich } from '@/lib/i18n/rich';
import { staleSignInErrors, type ReauthFormErrors } from '@/lib/reauthentication';
import styles from './profile.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/** The wording of this form for the API's refusals. */
function deleteErrors(error: unknown, t: Translate): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  const found = formErrorsFrom(error, ['password', 'code'], t);
  if (!isAuthError(error)) return found;
  if (error.code === 'INVALID_CREDENTIALS') return { message: t('settings.wrongPassword'), fields: { password: t('settings.notYourPassword') } };
  if (error.code === 'INVALID_MFA_CODE') return { message: t('settings.wrongCode'), fields: { code: t('settings.checkCode') } };
  return found;
}

/**
 * The danger zone: two steps, then DELETE /api/auth/me with the password (when the account has
 * one) and a code (when MFA is on). Afterwards the browser is signed out and lands on /login.
 */
export function DeleteAccount({ email, mfaEnabled }: { email: string; mfaEnabled: boolean }) {
  const { client, ready } = useAuth();
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const hasPassword = useHasPassword(confirming);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);

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
    if (hasPassword && !password) found.password = t('login.missingPassword');
    if (mfaEnabled && !value) found.code = t('settings.missingAnyCode');
    if (Object.keys(found).length) return setErrors({ message: t('login.missingFields'), fields: found });
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
      setErrors(deleteErrors(error, t));
      setBusy(false);
    }
  }

  if (!confirming) {
    return (
      <div>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t('profile.delete')}
        </Button>
      </div>
    );
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label={t('profile.deleteForm')}>
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/profile"
        intro={<p className={styles.note}>{rich(t('profile.deleteIntro'), { email: <strong>{email}</strong> })}</p>}
      />
      {mfaEnabled && (
        <Field
          label={t('settings.anyCodeLabel')}
          name="code"
          autoComplete="one-time-code"
          maxLength={LIMITS.recoveryCodeMax}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.fields.code}
          autoFocus={!hasPassword}
        />
      )}
      <div className={styles.actions}>
        <Button type="submit" variant="danger" loading={busy} loadingText={t('profile.deleting')}>
          {t('profile.deleteConfirm')}
        </Button>
        <Button variant="ghost" onClick={cancel} disabled={busy}>
          {t('settings.cancel')}
        </Button>
      </div>
    </form>
  );
}
