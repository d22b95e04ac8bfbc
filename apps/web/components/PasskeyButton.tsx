'use client';
import { isAuthError, type SignedIn } from '@portcullis/sdk';
import { cancelPasskeyCeremony, conditionalUiSupported, passkeySecondFactor, passkeysSupported, signInWithPasskey } from '@portcullis/sdk/passkeys';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from './AuthProvider';
import shell from './AuthShell.module.css';
import { Button } from './Button';
import { FormAlert } from './FormAlert';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';

/** What went wrong in a ceremony, in words: the browser's cancel is not an error to dwell on. */
function passkeyError(error: unknown, t: Translate): string {
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) return t('passkey.cancelled');
  return t('passkey.failed');
}

/**
 * "Sign in with a passkey" on the login page, and conditional UI: while the page is open the
 * browser offers passkeys in the email field's autofill (`autocomplete="username webauthn"`); picking
 * one signs in. The button starts a modal ceremony instead (which ends the waiting conditional one).
 */
export function PasskeyButton({ redirectTo }: { redirectTo: string }) {
  const { client, signedIn } = useAuth();
  const t = useT();
  const [supported, setSupported] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const finished = useRef(false);

  function done(result: SignedIn) {
    finished.current = true;
    signedIn(result.user);
    window.location.assign(redirectTo);
  }

  useEffect(() => {
    if (!passkeysSupported()) return;
    setSupported(true);
    let stopped = false;
    void conditionalUiSupported().then((available) => {
      if (!available || stopped) return;
      // Resolves only when the person picks a passkey from the autofill; a refusal shows why.
      signInWithPasskey(client, { conditional: true })
        .then(done)
        .catch((err: unknown) => {
          // Only the API's refusal of a passkey the person picked is worth a word; the browser's own
          // failures (no passkey, an origin it will not use, a cancel) leave the page as it was.
          if (!stopped && isAuthError(err)) setError(passkeyError(err, t));
        });
    });
    return () => {
      stopped = true;
      if (!finished.current) cancelPasskeyCeremony();
    };
  }, [client]); // once per page: a new ceremony would cancel the waiting one

  async function onClick() {
    setBusy(true);
    setError(undefined);
    try {
      done(await signInWithPasskey(client));
    } catch (err) {
      setError(passkeyError(err, t));
      setBusy(false);
    }
  }

  if (!supported) return null;
  return (
    <div className={shell.form}>
      {error && <FormAlert>{error}</FormAlert>}
      <Button variant="secondary" block loading={busy} loadingText={t('passkey.waiting')} onClick={onClick}>
        {t('passkey.signIn')}
      </Button>
    </div>
  );
}

/** At the second step of a login whose account has a passkey: the passkey instead of a code. */
export function PasskeySecondFactor({ mfaToken, onSignedIn }: { mfaToken: string; onSignedIn: (result: SignedIn) => void }) {
  const { client } = useAuth();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function onClick() {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await passkeySecondFactor(client, mfaToken));
    } catch (err) {
      setError(passkeyError(err, t));
      setBusy(false);
    }
  }
  return (
    <>
      <FormAlert>{error}</FormAlert>
      <Button variant="secondary" block loading={busy} loadingText={t('passkey.waiting')} onClick={onClick}>
        {t('passkey.instead')}
      </Button>
    </>
  );
}
