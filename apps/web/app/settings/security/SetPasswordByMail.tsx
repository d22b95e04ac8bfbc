'use client';
import { useState } from 'react';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom } from '@/lib/form-errors';

/**
 * For an account that signs in only through a provider: it has no current password to give, so
 * a password is added the way a forgotten one is replaced, by a single-use link to its address.
 */
export function SetPasswordByMail({ email }: { email: string }) {
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string>();

  async function send() {
    setBusy(true);
    setError(undefined);
    try {
      await postPublic('/api/auth/password/forgot', { email });
      setSent(true);
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <FormAlert tone="success">
        A link to choose a password is on its way to <strong>{email}</strong>. It works once and expires in 1 hour.
      </FormAlert>
    );
  }
  return (
    <div className="stack">
      <p className="muted">
        Your account has no password: you sign in through a provider. To be able to sign in with a password too, we email you a link to choose one.
      </p>
      <FormAlert>{error}</FormAlert>
      <div>
        <Button type="button" variant="secondary" loading={busy} onClick={send}>
          Email me a link to set a password
        </Button>
      </div>
    </div>
  );
}
