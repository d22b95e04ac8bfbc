'use client';
import { useState, type FormEvent } from 'react';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';

/** POST /api/auth/password/forgot → 202 whatever the address: the page says the same either way. */
export function ForgotPasswordForm() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [sentTo, setSentTo] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = email.trim();
    if (!value) return setErrors({ message: t('forgot.fillIn'), fields: { email: t('forgot.missing') } });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await postPublic('/api/auth/password/forgot', { email: value });
      setSentTo(value);
    } catch (error) {
      setErrors(formErrorsFrom(error, ['email']));
    } finally {
      setBusy(false);
    }
  }

  if (sentTo) {
    return <FormAlert tone="success">{t('forgot.sent', { email: sentTo })}</FormAlert>;
  }
  return (
    <form className={shell.form} onSubmit={onSubmit} noValidate aria-busy={busy}>
      <FormAlert>{errors.message}</FormAlert>
      <Field
        label={t('forgot.email')}
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.fields.email}
        autoFocus
      />
      <Button type="submit" block loading={busy} loadingText={t('forgot.sending')}>
        {t('forgot.submit')}
      </Button>
    </form>
  );
}
