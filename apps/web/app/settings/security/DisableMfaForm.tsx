'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { postAuthed } from '@/lib/account-api';
import { useT } from '@/lib/i18n/client';
import type { ReauthFormErrors } from '@/lib/reauthentication';
import { mfaFormErrors } from './mfaErrors';
import styles from './mfa.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/**
 * Turns MFA off with a code from the app or a recovery code, and the password; an account without
 * one is asked for none (it must have signed in within the last few minutes instead).
 */
export function DisableMfaForm({ email, onCancel, onDone }: { email: string; onCancel(): void; onDone(): void }) {
  const { client, ready } = useAuth();
  const t = useT();
  const hasPassword = useHasPassword();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (hasPassword && !password) found.password = t('login.missingPassword');
    if (!code.trim()) found.code = t('settings.missingAnyCode');
    if (Object.keys(found).length) return setErrors({ message: t('login.missingFields'), fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      await postAuthed(client, '/api/auth/mfa/totp/disable', {
        ...(hasPassword ? { password } : {}),
        code: code.trim().replace(/^(\d{3})\s+(\d{3})$/, '$1$2'),
      });
      onDone();
    } catch (error) {
      setErrors(mfaFormErrors(error, ['password', 'code'], t));
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label={t('security.disableForm')}>
      <ReauthFields email={email} hasPassword={hasPassword} password={password} onPassword={setPassword} errors={errors} returnTo="/settings/security" />
      <Field
        label={t('settings.anyCodeLabel')}
        name="code"
        autoComplete="one-time-code"
        maxLength={LIMITS.recoveryCodeMax}
        spellCheck={false}
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.fields.code}
        autoFocus={!hasPassword}
      />
      <div className={styles.actions}>
        <Button type="submit" variant="danger" loading={busy} loadingText={t('security.turningOff')}>
          {t('security.disableForm')}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t('settings.cancel')}
        </Button>
      </div>
    </form>
  );
}
