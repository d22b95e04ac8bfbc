'use client';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { useT } from '@/lib/i18n/client';
import type { ReauthFormErrors } from '@/lib/reauthentication';
import { mfaFormErrors } from './mfaErrors';
import styles from './mfa.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/**
 * A new set of recovery codes for a code from the app and the password (none for an account
 * without one: a recent sign-in instead); the old set stops working.
 */
export function RegenerateCodesForm({ email, onCancel, onDone }: { email: string; onCancel(): void; onDone(codes: string[]): void }) {
  const { client, ready } = useAuth();
  const t = useT();
  const hasPassword = useHasPassword();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = code.replace(/\s+/g, '');
    const found: Record<string, string> = {};
    if (hasPassword && !password) found.password = t('login.missingPassword');
    if (!/^\d{6}$/.test(value)) found.code = t('settings.missingTotp');
    if (Object.keys(found).length) return setErrors({ message: t('login.missingFields'), fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      onDone(await client.regenerateRecoveryCodes({ ...(hasPassword ? { password } : {}), code: value }));
    } catch (error) {
      setErrors(mfaFormErrors(error, ['password', 'code'], t));
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label={t('security.regenerateForm')}>
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/security"
        intro={<p>{t('security.regenerateIntro')}</p>}
      />
      <Field
        label={t('settings.codeFromApp')}
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={7}
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.fields.code}
        autoFocus={!hasPassword}
      />
      <div className={styles.actions}>
        <Button type="submit" loading={busy} loadingText={t('security.generating')}>
          {t('security.generate')}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t('settings.cancel')}
        </Button>
      </div>
    </form>
  );
}
