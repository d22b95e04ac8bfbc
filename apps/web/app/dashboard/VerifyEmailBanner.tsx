'use client';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { postAuthed } from '@/lib/account-api';
import { formErrorsFrom } from '@/lib/form-errors';
import styles from './VerifyEmailBanner.module.css';

/** Shown on the dashboard while the address is unverified; "Resend" mails a fresh link. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const { client, ready } = useAuth();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string }>();

  async function resend() {
    setBusy(true);
    setMessage(undefined);
    try {
      await ready();
      await postAuthed(client, '/api/auth/email/verify/resend');
      setMessage({ tone: 'ok', text: `A new link is on its way to ${email}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: formErrorsFrom(error, []).message ?? 'Could not send the link.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.banner} role="region" aria-label="Email verification">
      <div>
        <strong>Verify your email address.</strong> We sent a link to {email}. Following it confirms the address is yours.
        <p role="status" aria-live="polite" className={message?.tone === 'error' ? styles.error : styles.ok}>
          {message?.text}
        </p>
      </div>
      <Button variant="secondary" size="sm" onClick={resend} loading={busy} loadingText="Sending…">
        Resend link
      </Button>
    </div>
  );
}
