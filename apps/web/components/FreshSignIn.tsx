'use client';
import type { ReactNode } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { useT } from '@/lib/i18n/client';
import { FRESH_SIGN_IN_MINUTES, type ReauthFormErrors } from '@/lib/reauthentication';
import { loginUrlFor } from '@/lib/redirect';
import styles from './FreshSignIn.module.css';

/** For an account without a password, in place of the password field of a sensitive form. */
export function FreshSignInNote() {
  const t = useT();
  return <p className={styles.note}>{t('fresh.note', { minutes: FRESH_SIGN_IN_MINUTES })}</p>;
}

/** Offered when the API refused a sign-in as too old: signs out here, then back to `returnTo` after the login. */
export function SignInAgainButton({ returnTo }: { returnTo: string }) {
  const { client } = useAuth();
  const t = useT();
  async function signInAgain() {
    await client.logout().catch(() => undefined);
    window.location.assign(loginUrlFor(returnTo));
  }
  return (
    <div>
      <Button variant="secondary" onClick={signInAgain}>
        {t('fresh.signInAgain')}
      </Button>
    </div>
  );
}

/**
 * The "prove it is you" part of a sensitive form: the account name for password managers, the
 * password (or, for an account without one, the fresh sign-in rule), the form's errors, and
 * "Sign in again" when the API found the sign-in too old. `intro` comes first.
 */
export function ReauthFields(props: {
  email: string;
  hasPassword: boolean;
  password: string;
  onPassword(value: string): void;
  errors: ReauthFormErrors;
  returnTo: string;
  intro?: ReactNode;
}) {
  const { email, hasPassword, password, onPassword, errors, returnTo, intro } = props;
  const t = useT();
  return (
    <>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {intro}
      {!hasPassword && <FreshSignInNote />}
      <FormAlert>{errors.message}</FormAlert>
      {errors.signInAgain && <SignInAgainButton returnTo={returnTo} />}
      {hasPassword && (
        <Field
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => onPassword(e.target.value)}
          error={errors.fields.password}
          autoFocus
        />
      )}
    </>
  );
}

/**
 * The password of a form that creates something lasting (a key, a service account, a webhook
 * target): the API asks for it unless the sign-in is under FRESH_SIGN_IN_MINUTES old, so it is
 * optional here and the API's 401 says when it was needed.
 */
export function RecentPasswordField(props: { value: string; onChange(value: string): void; error?: string }) {
  const t = useT();
  return (
    <Field
      label={t('fresh.yourPassword')}
      name="password"
      type="password"
      autoComplete="current-password"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      error={props.error}
      hint={t('fresh.notNeeded', { minutes: FRESH_SIGN_IN_MINUTES })}
    />
  );
}
