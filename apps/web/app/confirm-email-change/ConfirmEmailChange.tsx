'use client';
import { isAuthError } from '@portcullis/sdk';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import { rich } from '@/lib/i18n/rich';
import styles from './confirm.module.css';

type State = { kind: 'confirming' } | { kind: 'changed'; email: string } | { kind: 'failed'; message: string };

function failureMessage(error: unknown, t: Translate): string {
  if (isAuthError(error) && error.code === 'INVALID_TOKEN') return t('verify.invalid');
  if (isAuthError(error) && error.code === 'EMAIL_TAKEN') return t('verify.emailTaken');
  return formErrorsFrom(error, [], t).message ?? t('verify.failed');
}

/** Posts the token once on arrival (scanners that only fetch the link do not use it up), as verify-email does. */
export function ConfirmEmailChange({ token, signedIn }: { token: string; signedIn: boolean }) {
  const { client, ready, userChanged } = useAuth();
  const router = useRouter();
  const t = useT();
  const [state, setState] = useState<State>(token ? { kind: 'confirming' } : { kind: 'failed', message: t('verify.incomplete') });
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
    })().catch((error: unknown) => setState({ kind: 'failed', message: failureMessage(error, t) }));
  }, [token, client, ready, userChanged, router, t]);

  if (state.kind === 'confirming') {
    return (
      <p className="muted" role="status">
        <Spinner /> {t('verify.confirming')}
      </p>
    );
  }
  if (state.kind === 'changed') {
    return (
      <div className="stack">
        <FormAlert tone="success">{rich(t('verify.changed'), { email: <strong className={styles.address}>{state.email}</strong> })}</FormAlert>
        <Link href={signedIn ? '/settings/profile' : '/login'}>{signedIn ? t('verify.toProfile') : t('header.signIn')}</Link>
      </div>
    );
  }
  return (
    <div className="stack">
      <FormAlert>{state.message}</FormAlert>
      <p className="muted">{signedIn ? t('verify.askSignedIn') : t('verify.askSignedOut')}</p>
    </div>
  );
}
