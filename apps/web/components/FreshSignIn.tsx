'use client';
import type { ReactNode } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { FRESH_SIGN_IN_MINUTES, type ReauthFormErrors } from '@/lib/reauthentication';
import { loginUrlFor } from '@/lib/redirect';
import styles from './FreshSignIn.module.css';

/** For an account without a password, in place of the password field of a sensitive form. */
export function FreshSignInNote() {
  return (
    <p className={styles.note}>
      Your account has no password, so we check that it is really you by a recent sign-in: you must have signed in within the last {FRESH_SIGN_IN_MINUTES}{' '}
      minutes. If it has been longer, sign in again first.
    </p>
  );
}

/** Offered when the API refused a sign-in as too old: signs out here, then back to `returnTo` after the login. */
export function SignInAgainButton({ returnTo }: { returnTo: string }) {
  const { client } = useAuth();
  async function signInAgain() {
    await client.logout().catch(() => undefined);
    window.location.assign(loginUrlFor(returnTo));
  }
  return (
    <div>
      <Button variant="secondary" onClick={signInAgain}>
        Sign in again
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
  return (
    <>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {intro}
      {!hasPassword && <FreshSignInNote />}
      <FormAlert>{errors.message}</FormAlert>
      {errors.signInAgain && <SignInAgainButton returnTo={returnTo} />}
      {hasPassword && (
        <Field
          label="Password"
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
