'use client';
import { isAuthError } from '@portcullis/sdk';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { formErrorsFrom } from '@/lib/form-errors';
import styles from './confirm.module.css';

type State = { kind: 'confirming' } | { kind: 'changed'; email: string } | { kind: 'failed'; message: string };

function failureMessage(error: unknown): string {
  if (isAuthError(error) && error.code === 'INVALID_TOKEN') return 'This link is invalid, already used or expired.';
  if (isAuthError(error) && error.code === 'EMAIL_TAKEN') return 'Another account uses this address now, so your address was not changed.';
  return formErrorsFrom(error, []).message ?? 'Something went wrong.';
}

/** Posts the token once on arrival (scanners that only fetch the link do not use it up), as verify-email does. */
export function ConfirmEmailChange({ token, signedIn }: { token: string; signedIn: boolean }) {
  const { client, ready, userChanged } = useAuth();
  const router = useRouter();
  const [state, setState] = useState<State>(
    token ? { kind: 'confirming' } : { kind: 'failed', message: 'This link is incomplete. Open the link from the email again, or ask for a new one.' },
  );
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true; // Strict Mode runs effects twice in development; the token works once.
    // Keep the token out of the address bar and history from here on.
    window.history.replaceState(null, '', '/confirm-email-change');
    (async () => {
      // Restored first, so that a session of this same user here takes the new address.
      const current = await ready().catch(() => null);
      const user = await client.confirmEmailChange(token);
      if (current?.id === user.id) {
        userChanged(user);
        router.refresh();
      }
      setState({ kind: 'changed', email: user.email });
    })().catch((error: unknown) => setState({ kind: 'failed', message: failureMessage(error) }));
  }, [token, client, ready, userChanged, router]);

  if (state.kind === 'confirming') {
    return (
      <p className="muted" role="status">
        <Spinner /> Confirming your new email address…
      </p>
    );
  }
  if (state.kind === 'changed') {
    return (
      <div className="stack">
        <FormAlert tone="success">
          Your email address is now <strong className={styles.address}>{state.email}</strong>. Use it to sign in from now on.
        </FormAlert>
        <Link href={signedIn ? '/settings/profile' : '/login'}>{signedIn ? 'Continue to your profile' : 'Sign in'}</Link>
      </div>
    );
  }
  return (
    <div className="stack">
      <FormAlert>{state.message}</FormAlert>
      <p className="muted">{signedIn ? 'You can ask for a new link from your profile.' : 'Sign in, then ask for a new link from your profile.'}</p>
    </div>
  );
}
