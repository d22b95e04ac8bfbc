'use client';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import styles from './security.module.css';

/** Two steps (ask, then confirm) so one stray click cannot end every session. */
export function SignOutEverywhere() {
  const { signOutEverywhere, ready } = useAuth();
  const t = useT();
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
        <div className={styles.confirm} role="group" aria-label={t('security.everywhereConfirm')}>
          <p>{t('security.everywhereQuestion')}</p>
          <Button variant="danger" onClick={onConfirm} loading={busy} loadingText={t('header.signingOut')} autoFocus>
            {t('security.everywhereYes')}
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)} disabled={busy}>
            {t('settings.cancel')}
          </Button>
        </div>
      ) : (
        <div>
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {t('security.everywhere')}
          </Button>
        </div>
      )}
    </div>
  );
}
