'use client';
import { useState } from 'react';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';

/**
 * For an account that signs in only through a provider: it has no current password to give, so
 * a password is added the way a forgotten one is replaced, by a single-use link to its address.
 */
export function SetPasswordByMail({ email }: { email: string }) {
  const t = useT();
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
    return <FormAlert tone="success">{rich(t('security.setLinkSent'), { email: <strong>{email}</strong> })}</FormAlert>;
  }
  return (
    <div className="stack">
      <p className="muted">{t('security.noPassword')}</p>
      <FormAlert>{error}</FormAlert>
      <div>
        <Button type="button" variant="secondary" loading={busy} onClick={send}>
          {t('security.sendSetLink')}
        </Button>
      </div>
    </div>
  );
}
