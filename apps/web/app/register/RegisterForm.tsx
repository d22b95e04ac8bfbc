'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { PasswordField } from '@/components/PasswordField';
import { PasswordRules } from '@/components/PasswordRules';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { meetsPasswordRules } from '@/lib/password-rules';

const FIELDS = ['displayName', 'email', 'password'] as const;

export function RegisterForm({ redirectTo }: { redirectTo: string }) {
  const { client, signedIn } = useAuth();
  const t = useT();
  const [values, setValues] = useState({ displayName: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });

  const set = (name: (typeof FIELDS)[number]) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.displayName.trim()) found.displayName = t('register.missingName');
    if (!values.email.trim()) found.email = t('register.missingEmail');
    if (!values.password) found.password = t('register.missingPassword');
    else if (!meetsPasswordRules(values.password)) found.password = t('register.notYet');
    if (Object.keys(found).length) return setErrors({ message: t('register.correct'), fields: found });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      const { user } = await client.register({ displayName: values.displayName.trim(), email: values.email.trim(), password: values.password });
      signedIn(user);
      window.location.assign(redirectTo);
    } catch (error) {
      setErrors(formErrorsFrom(error, FIELDS));
      setBusy(false);
    }
  }

  return (
    <form className={shell.form} onSubmit={onSubmit} noValidate aria-busy={busy}>
      <FormAlert>{errors.message}</FormAlert>
      <Field
        label={t('register.name')}
        name="displayName"
        autoComplete="name"
        maxLength={LIMITS.displayName}
        required
        value={values.displayName}
        onChange={set('displayName')}
        error={errors.fields.displayName}
        hint={t('register.nameHint')}
        autoFocus
      />
      <Field
        label={t('register.email')}
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        value={values.email}
        onChange={set('email')}
        error={errors.fields.email}
      />
      <PasswordField
        label={t('register.password')}
        name="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={values.password}
        onChange={set('password')}
        error={errors.fields.password}
        hint={<PasswordRules password={values.password} />}
      />
      <Button type="submit" block loading={busy} loadingText={t('register.submitting')}>
        {t('register.submit')}
      </Button>
    </form>
  );
}
