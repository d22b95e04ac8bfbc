'use client';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { FRESH_SIGN_IN_MINUTES } from '@/lib/reauthentication';
import { loginUrlFor } from '@/lib/redirect';
import styles from './FreshSignIn.module.css';

/** For an account without a password, in place of the password field of a sensitive form. */
export function FreshSignInNote() {
  return (
    <p className={styles.note}>
      Your account has no password, so we check that it is really you by a recent sign-in: you must have signed in within the last {FRESH_SIGN_IN_MINUTES} minutes. If it has been
      longer, sign in again first.
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
