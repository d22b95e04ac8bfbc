'use client';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { postAuthed } from '@/lib/account-api';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import styles from './VerifyEmailBanner.module.css';

/** Shown on the dashboard while the address is unverified; "Resend" mails a fresh link. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const { client, ready } = useAuth();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string }>();

  async function resend() {
    setBusy(true);
    setMessage(undefined);
    try {
      await ready();
      await postAuthed(client, '/api/auth/email/verify/resend');
      setMessage({ tone: 'ok', text: t('verify.resent', { email }) });
    } catch (error) {
      setMessage({ tone: 'error', text: formErrorsFrom(error, []).message ?? t('verify.resendFailed') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.banner} role="region" aria-label={t('verify.bannerLabel')}>
      <div>
        <strong>{t('verify.bannerTitle')}</strong> {t('verify.bannerBody', { email })}
        <p role="status" aria-live="polite" className={message?.tone === 'error' ? styles.error : styles.ok}>
          {message?.text}
        </p>
      </div>
      <Button variant="secondary" size="sm" onClick={resend} loading={busy} loadingText={t('forgot.sending')}>
        {t('verify.resend')}
      </Button>
    </div>
  );
}
