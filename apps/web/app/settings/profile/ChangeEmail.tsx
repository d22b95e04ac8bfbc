'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
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
function changeErrors(error: unknown, t: Translate): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS')
    return { message: t('settings.wrongPassword'), fields: { password: t('settings.notYourPassword') } };
  return formErrorsFrom(error, ['newEmail', 'password'], t);
}

/**
 * POST /api/auth/email/change with the new address and the password (when the account has one).
 * Nothing changes until the link mailed to the new address is followed (/confirm-email-change).
 */
export function ChangeEmail({ email }: { email: string }) {
  const { client, ready } = useAuth();
  const t = useT();
  const [open, setOpen] = useState(false);
  const hasPassword = useHasPassword(open);
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);
  const [sentTo, setSentTo] = useState<string>();

  function close() {
    setOpen(false);
    setNewEmail('');
    setPassword('');
    setErrors(NO_ERRORS);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = newEmail.trim();
    const found: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) found.newEmail = t('profile.invalidEmail');
    if (hasPassword && !password) found.password = t('login.missingPassword');
    if (Object.keys(found).length) return setErrors({ message: t('error.VALIDATION_FAILED'), fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      await client.changeEmail({ newEmail: address, ...(hasPassword ? { password } : {}) });
      close();
      setSentTo(address);
    } catch (error) {
      setErrors(changeErrors(error, t));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <div className={styles.form}>
        <p className={styles.note}>{rich(t('profile.address'), { email: <strong className={styles.address}>{email}</strong> })}</p>
        {sentTo && (
          <FormAlert tone="success">
            <span className={styles.address}>{rich(t('profile.checkInbox'), { newEmail: <strong>{sentTo}</strong>, email })}</span>
          </FormAlert>
        )}
        <div>
          <Button variant="secondary" onClick={() => setOpen(true)}>
            {t('profile.changeEmail')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label={t('profile.changeEmailForm')}>
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/profile"
        intro={<p className={styles.note}>{rich(t('profile.changeEmailIntro'), { email: <strong className={styles.address}>{email}</strong> })}</p>}
      />
      <Field
        label={t('profile.newEmail')}
        name="newEmail"
        type="email"
        autoComplete="email"
        maxLength={LIMITS.email}
        required
        value={newEmail}
        onChange={(e) => setNewEmail(e.target.value)}
        error={errors.fields.newEmail}
        autoFocus={!hasPassword}
      />
      <div className={styles.actions}>
        <Button type="submit" loading={busy} loadingText={t('forgot.sending')}>
          {t('profile.sendLink')}
        </Button>
        <Button variant="ghost" onClick={close} disabled={busy}>
          {t('settings.cancel')}
        </Button>
      </div>
    </form>
  );
}
