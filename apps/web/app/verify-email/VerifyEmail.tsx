'use client';
import { isAuthError } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom } from '@/lib/form-errors';

type State = { kind: 'verifying' } | { kind: 'verified'; email: string } | { kind: 'failed'; message: string };

/** Posts the token once on arrival (scanners that only fetch the link do not use it up). */
export function VerifyEmail({ token, signedIn }: { token: string; signedIn: boolean }) {
  const [state, setState] = useState<State>(
    token ? { kind: 'verifying' } : { kind: 'failed', message: 'This link is incomplete. Open the link from the email again, or ask for a new one.' },
  );
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true; // Strict Mode runs effects twice in development; the token works once.
    // Keep the token out of the address bar and history from here on.
    window.history.replaceState(null, '', '/verify-email');
    postPublic<{ user: { email: string } }>('/api/auth/email/verify', { token })
      .then(({ user }) => setState({ kind: 'verified', email: user.email }))
      .catch((error: unknown) =>
        setState({
          kind: 'failed',
          message:
            isAuthError(error) && error.code === 'INVALID_TOKEN'
              ? 'This link is invalid, already used or expired.'
              : (formErrorsFrom(error, []).message ?? 'Something went wrong.'),
        }),
      );
  }, [token]);

  if (state.kind === 'verifying') {
    return (
      <p className="muted" role="status">
        <Spinner /> Verifying your email address…
      </p>
    );
  }
  if (state.kind === 'verified') {
    return (
      <div className="stack">
        <FormAlert tone="success">
          Your email address <strong>{state.email}</strong> is verified.
        </FormAlert>
        <Link href={signedIn ? '/dashboard' : '/login'}>{signedIn ? 'Continue to your dashboard' : 'Sign in'}</Link>
      </div>
    );
  }
  return (
    <div className="stack">
      <FormAlert>{state.message}</FormAlert>
      <p className="muted">{signedIn ? 'You can send a new link from your dashboard.' : 'Sign in, then send a new link from your dashboard.'}</p>
    </div>
  );
}
