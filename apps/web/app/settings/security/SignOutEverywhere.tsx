'use client';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom } from '@/lib/form-errors';
import styles from './security.module.css';

/** Two steps (ask, then confirm) so one stray click cannot end every session. */
export function SignOutEverywhere() {
  const { signOutEverywhere, ready } = useAuth();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function onConfirm() {
    setBusy(true);
    setError(undefined);
    try {
      await ready();
      await signOutEverywhere();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
      setBusy(false);
    }
  }

  return (
    <div className={styles.sessions}>
      <FormAlert>{error}</FormAlert>
      {confirming ? (
        <div className={styles.confirm} role="group" aria-label="Confirm signing out everywhere">
          <p>Sign out of every device, including this one?</p>
          <Button variant="danger" onClick={onConfirm} loading={busy} loadingText="Signing out…" autoFocus>
            Yes, sign out everywhere
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </Button>
        </div>
      ) : (
        <div>
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Sign out everywhere
          </Button>
        </div>
      )}
    </div>
  );
}
