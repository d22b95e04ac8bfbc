'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { ReauthFields } from '@/components/FreshSignIn';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import { staleSignInErrors, type ReauthFormErrors } from '@/lib/reauthentication';
import styles from './security.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/** The wording of this form for the API's refusals. */
function linkErrors(error: unknown, t: Translate): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  const found = formErrorsFrom(error, ['password', 'code'], t);
  if (!isAuthError(error)) return found;
  if (error.code === 'INVALID_CREDENTIALS') return { message: t('settings.wrongPassword'), fields: { password: t('settings.notYourPassword') } };
  if (error.code === 'INVALID_MFA_CODE') return { message: t('settings.wrongCode'), fields: { code: t('settings.checkCode') } };
  if (error.code === 'FORBIDDEN') return { message: error.message, fields: {}, signInAgain: true };
  return found;
}

/**
 * "Prove it is you" before linking a provider: a linked provider is a lasting way into the account,
 * so the API asks for the password (or, without one, a sign-in of the last few minutes) and a code
 * when MFA is on, as for deleting the account. Then the browser goes to the provider.
 */
export function LinkProviderForm(props: {
  provider: { id: string; name: string };
  email: string;
  hasPassword: boolean;
  mfaEnabled: boolean;
  onCancel(): void;
}) {
  const { provider, email, hasPassword, mfaEnabled, onCancel } = props;
  const { client, ready } = useAuth();
  const t = useT();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);

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
      const { url } = await client.linkProvider(provider.id, { ...(hasPassword ? { password } : {}), ...secondFactor });
      if (!/^https?:\/\//.test(url)) throw new Error('unexpected provider URL');
      window.location.assign(url);
    } catch (error) {
      setErrors(linkErrors(error, t));
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label={t('security.link', { provider: provider.name })}>
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/security"
        intro={<p className="muted">{t('security.linkIntro', { provider: provider.name })}</p>}
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
      <div>
        <Button type="submit" loading={busy} loadingText={t('security.goingToProvider')}>
          {t('security.continueTo', { provider: provider.name })}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t('settings.cancel')}
        </Button>
      </div>
    </form>
  );
}
