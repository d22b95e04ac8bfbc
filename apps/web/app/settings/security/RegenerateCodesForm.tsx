'use client';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import type { ReauthFormErrors } from '@/lib/reauthentication';
import { mfaFormErrors } from './mfaErrors';
import styles from './mfa.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/**
 * A new set of recovery codes for a code from the app and the password (none for an account
 * without one: a recent sign-in instead); the old set stops working.
 */
export function RegenerateCodesForm({ email, onCancel, onDone }: { email: string; onCancel(): void; onDone(codes: string[]): void }) {
  const { client, ready } = useAuth();
  const hasPassword = useHasPassword();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = code.replace(/\s+/g, '');
    const found: Record<string, string> = {};
    if (hasPassword && !password) found.password = 'Enter your password.';
    if (!/^\d{6}$/.test(value)) found.code = 'Enter the 6-digit code from your app.';
    if (Object.keys(found).length) return setErrors({ message: 'Please fill in the fields marked below.', fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      onDone(await client.regenerateRecoveryCodes({ ...(hasPassword ? { password } : {}), code: value }));
    } catch (error) {
      setErrors(mfaFormErrors(error, ['password', 'code']));
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label="Generate new recovery codes">
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/security"
        intro={<p>Your current recovery codes stop working as soon as the new ones are made.</p>}
      />
      <Field
        label="Code from the app"
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={7}
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.fields.code}
        autoFocus={!hasPassword}
      />
      <div className={styles.actions}>
        <Button type="submit" loading={busy} loadingText="Generating…">
          Generate new codes
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
