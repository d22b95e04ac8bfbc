'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { PasswordRules } from '@/components/PasswordRules';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { meetsPasswordRules } from '@/lib/password-rules';

const FIELDS = ['displayName', 'email', 'password'] as const;

export function RegisterForm({ redirectTo }: { redirectTo: string }) {
  const { client, signedIn } = useAuth();
  const [values, setValues] = useState({ displayName: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });

  const set = (name: (typeof FIELDS)[number]) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!values.displayName.trim()) found.displayName = 'Enter your name.';
    if (!values.email.trim()) found.email = 'Enter your email address.';
    if (!values.password) found.password = 'Choose a password.';
    else if (!meetsPasswordRules(values.password)) found.password = 'Your password does not meet all the rules below yet.';
    if (Object.keys(found).length) return setErrors({ message: 'Please correct the fields marked below.', fields: found });
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
        label="Name"
        name="displayName"
        autoComplete="name"
        maxLength={LIMITS.displayName}
        required
        value={values.displayName}
        onChange={set('displayName')}
        error={errors.fields.displayName}
        hint="How we greet you. Others you work with may see it."
        autoFocus
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        value={values.email}
        onChange={set('email')}
        error={errors.fields.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        required
        value={values.password}
        onChange={set('password')}
        error={errors.fields.password}
        hint={<PasswordRules password={values.password} />}
      />
      <Button type="submit" block loading={busy} loadingText="Creating your account…">
        Create account
      </Button>
    </form>
  );
}
