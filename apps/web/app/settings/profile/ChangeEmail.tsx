'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { formErrorsFrom } from '@/lib/form-errors';
import { staleSignInErrors, type ReauthFormErrors } from '@/lib/reauthentication';
import styles from './profile.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/** The wording of this form for the API's refusals. */
function changeErrors(error: unknown): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS')
    return { message: 'Your password is not right.', fields: { password: 'This is not your password.' } };
  return formErrorsFrom(error, ['newEmail', 'password']);
}

/**
 * POST /api/auth/email/change with the new address and the password (when the account has one).
 * Nothing changes until the link mailed to the new address is followed (/confirm-email-change).
 */
export function ChangeEmail({ email }: { email: string }) {
  const { client, ready } = useAuth();
  const [open, setOpen] = useState(false);
  const hasPassword = useHasPassword(open);
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);
  const [sentTo, setSentTo] = useState<string>();

  function close() {
    setOpen(false);
    setNewEmail('');
    setPassword('');
    setErrors(NO_ERRORS);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = newEmail.trim();
    const found: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) found.newEmail = 'Enter a valid email address.';
    if (hasPassword && !password) found.password = 'Enter your password.';
    if (Object.keys(found).length) return setErrors({ message: 'Please correct the fields marked below.', fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      await client.changeEmail({ newEmail: address, ...(hasPassword ? { password } : {}) });
      close();
      setSentTo(address);
    } catch (error) {
      setErrors(changeErrors(error));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <div className={styles.form}>
        <p className={styles.note}>
          Your address is <strong className={styles.address}>{email}</strong>.
        </p>
        {sentTo && (
          <FormAlert tone="success">
            <span className={styles.address}>
              Check your inbox at <strong>{sentTo}</strong> and follow the link we sent to finish. Until then your address stays {email}.
            </span>
          </FormAlert>
        )}
        <div>
          <Button variant="secondary" onClick={() => setOpen(true)}>
            Change email address…
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label="Change your email address">
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/profile"
        intro={
          <p className={styles.note}>
            Your address is <strong className={styles.address}>{email}</strong>. We will email a link to the new address; your address changes when you follow
            it.
          </p>
        }
      />
      <Field
        label="New email address"
        name="newEmail"
        type="email"
        autoComplete="email"
        maxLength={LIMITS.email}
        required
        value={newEmail}
        onChange={(e) => setNewEmail(e.target.value)}
        error={errors.fields.newEmail}
        autoFocus={!hasPassword}
      />
      <div className={styles.actions}>
        <Button type="submit" loading={busy} loadingText="Sending…">
          Send confirmation link
        </Button>
        <Button variant="ghost" onClick={close} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
