'use client';
import { isAuthError } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';

type State = { kind: 'verifying' } | { kind: 'verified'; email: string } | { kind: 'failed'; message: string };

/** Posts the token once on arrival (scanners that only fetch the link do not use it up). */
export function VerifyEmail({ token, signedIn }: { token: string; signedIn: boolean }) {
  const t = useT();
  const [state, setState] = useState<State>(token ? { kind: 'verifying' } : { kind: 'failed', message: t('verify.incomplete') });
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
          message: isAuthError(error) && error.code === 'INVALID_TOKEN' ? t('verify.invalid') : (formErrorsFrom(error, [], t).message ?? t('verify.failed')),
        }),
      );
  }, [token, t]);

  if (state.kind === 'verifying') {
    return (
      <p className="muted" role="status">
        <Spinner /> {t('verify.verifying')}
      </p>
    );
  }
  if (state.kind === 'verified') {
    return (
      <div className="stack">
        <FormAlert tone="success">{rich(t('verify.verified'), { email: <strong>{state.email}</strong> })}</FormAlert>
        <Link href={signedIn ? '/dashboard' : '/login'}>{signedIn ? t('verify.toDashboard') : t('header.signIn')}</Link>
      </div>
    );
  }
  return (
    <div className="stack">
      <FormAlert>{state.message}</FormAlert>
      <p className="muted">{signedIn ? t('verify.newLinkSignedIn') : t('verify.newLinkSignedOut')}</p>
    </div>
  );
}
