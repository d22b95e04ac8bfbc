'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError, type MfaChallenge, type User } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { PasskeySecondFactor } from '@/components/PasskeyButton';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { safeRedirect } from '@/lib/redirect';

type Step = { kind: 'password' } | { kind: 'totp'; challenge: MfaChallenge } | { kind: 'recovery'; challenge: MfaChallenge };

const NO_ERRORS: FormErrors = { fields: {} };

/** Email + password, then (for accounts with MFA) a code from the app or a recovery code. */
export function LoginForm({ redirectTo: initialRedirect, initialError, oauthMfa = false }: { redirectTo: string; initialError?: string; oauthMfa?: boolean }) {
  const { client, signedIn } = useAuth();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(initialError ? { message: initialError, fields: {} } : NO_ERRORS);
  const codeRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  // A provider sign-in may bring its own destination (it went through the provider and back).
  const [redirectTo, setRedirectTo] = useState(initialRedirect);

  // Back from a provider for an account with MFA: the API kept the challenge in an HttpOnly
  // cookie (never in the URL); redeem it once and go straight to the code step.
  useEffect(() => {
    if (!oauthMfa) return;
    let cancelled = false;
    postPublic<MfaChallenge & { redirect?: string }>('/api/auth/oauth/mfa', {})
      .then(({ redirect, ...challenge }) => {
        if (cancelled) return;
        setRedirectTo(safeRedirect(redirect));
        setStep({ kind: challenge.methods.includes('totp') ? 'totp' : 'recovery', challenge });
      })
      .catch(() => {
        if (!cancelled) setErrors({ message: 'That sign-in expired. Please start again.', fields: {} });
      });
    return () => {
      cancelled = true;
    };
  }, [oauthMfa]);

  // Moving to a code step puts the cursor in the code field, for keyboard and screen-reader users.
  useEffect(() => {
    if (step.kind !== 'password') codeRef.current?.focus();
  }, [step.kind]);

  function finish(user: User) {
    signedIn(user);
    // A full load: the server renders the next page for the new session cookie.
    window.location.assign(redirectTo);
  }

  async function onPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter your password.';
    if (Object.keys(missing).length) return setErrors({ message: 'Please fill in the fields marked below.', fields: missing });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const result = await client.login({ email: email.trim(), password });
      if (result.mfaRequired) {
        setStep({ kind: result.methods.includes('totp') ? 'totp' : 'recovery', challenge: result });
        setBusy(false);
        return;
      }
      finish(result.user);
    } catch (error) {
      setErrors(formErrorsFrom(error, ['email', 'password']));
      setPassword('');
      setBusy(false);
      passwordRef.current?.focus(); // ready for another try without reaching for the mouse
    }
  }

  async function onCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.kind === 'password') return;
    const value = code.trim();
    const field = step.kind === 'totp' ? 'code' : 'recoveryCode';
    if (!value) return setErrors({ fields: { [field]: step.kind === 'totp' ? 'Enter the 6-digit code.' : 'Enter a recovery code.' } });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const { mfaToken } = step.challenge;
      const result =
        step.kind === 'totp' ? await client.loginMfa({ mfaToken, code: value.replace(/\s+/g, '') }) : await client.loginMfa({ mfaToken, recoveryCode: value });
      finish(result.user);
    } catch (error) {
      if (isAuthError(error) && error.code === 'INVALID_TOKEN') {
        // The 5-minute MFA window closed: start again from the password.
        setStep({ kind: 'password' });
        setPassword('');
        setCode('');
        setErrors({ message: 'That took too long, so the sign-in expired. Please enter your password again.', fields: {} });
      } else {
        const found = formErrorsFrom(error, ['code', 'recoveryCode']);
        // A plain wrong code has no details; the lock after too many in a row says how to recover, in `details`.
        const locked = isAuthError(error) ? error.details.find((d) => d.field === 'code')?.message : undefined;
        if (locked) found.message = locked;
        setErrors(isAuthError(error) && error.code === 'INVALID_MFA_CODE' ? { message: found.message, fields: { [field]: found.message } } : found);
        setCode('');
      }
      setBusy(false);
    }
  }

  function switchTo(kind: 'totp' | 'recovery') {
    if (step.kind === 'password') return;
    setStep({ kind, challenge: step.challenge });
    setCode('');
    setErrors(NO_ERRORS);
  }

  if (step.kind === 'password') {
    return (
      <form className={shell.form} onSubmit={onPassword} noValidate aria-busy={busy}>
        <FormAlert>{errors.message}</FormAlert>
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username webauthn"
          inputMode="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
          autoFocus
        />
        <Field
          ref={passwordRef}
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          labelAside={<Link href="/forgot-password">Forgot password?</Link>}
        />
        <Button type="submit" block loading={busy} loadingText="Signing in…">
          Sign in
        </Button>
      </form>
    );
  }

  const totp = step.kind === 'totp';
  const canSwitch = step.challenge.methods.includes(totp ? 'recovery_code' : 'totp');
  return (
    <form className={shell.form} onSubmit={onCode} noValidate aria-busy={busy}>
      <p className="muted" id="mfa-help">
        {totp
          ? 'Your account has two-step verification. Enter the 6-digit code from your authenticator app.'
          : 'Enter one of the recovery codes you saved when you turned on two-step verification. Each code works once.'}
      </p>
      <FormAlert>{errors.message}</FormAlert>
      <Field
        ref={codeRef}
        key={step.kind}
        label={totp ? 'Authentication code' : 'Recovery code'}
        name={totp ? 'code' : 'recoveryCode'}
        autoComplete={totp ? 'one-time-code' : 'off'}
        inputMode={totp ? 'numeric' : 'text'}
        pattern={totp ? '[0-9 ]*' : undefined}
        maxLength={totp ? 7 : LIMITS.recoveryCodeMax}
        spellCheck={false}
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.fields[totp ? 'code' : 'recoveryCode']}
      />
      <Button type="submit" block loading={busy} loadingText="Verifying…">
        Verify and sign in
      </Button>
      {step.challenge.passkey && <PasskeySecondFactor mfaToken={step.challenge.mfaToken} onSignedIn={(result) => finish(result.user)} />}
      {canSwitch && (
        <button type="button" className={shell.linkButton} onClick={() => switchTo(totp ? 'recovery' : 'totp')}>
          {totp ? 'Use a recovery code instead' : 'Use a code from your authenticator app'}
        </button>
      )}
    </form>
  );
}
