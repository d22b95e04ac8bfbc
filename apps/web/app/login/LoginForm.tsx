'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError, type MfaChallenge, type User } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { AuthShell } from '@/components/AuthShell';
import shell from '@/components/AuthShell.module.css';
import { Button } from '@/components/Button';
import { CodeInput } from '@/components/CodeInput';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { PasskeySecondFactor } from '@/components/PasskeyButton';
import { PasswordField } from '@/components/PasswordField';
import { postPublic } from '@/lib/account-api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { safeRedirect } from '@/lib/redirect';
import styles from './login.module.css';

type Step = { kind: 'password' } | { kind: 'totp'; challenge: MfaChallenge } | { kind: 'recovery'; challenge: MfaChallenge };

const NO_ERRORS: FormErrors = { fields: {} };

interface LoginFormProps {
  redirectTo: string;
  initialError?: string;
  oauthMfa?: boolean;
  /** Why the person is here (a notice or the reason a session ended): on the password step only. */
  banner?: ReactNode;
  /** The provider buttons (rendered on the server): on the password step only. */
  oauth?: ReactNode;
  /** "New here? Create an account": on the password step only, never beside a code. */
  footer?: ReactNode;
  /** Other ways in (a passkey, an emailed code), below the password form: on the password step only. */
  alternatives?: ReactNode;
}

/** Email + password, then (for accounts with MFA) a code from the app or a recovery code. */
export function LoginForm({ redirectTo: initialRedirect, initialError, oauthMfa = false, banner, oauth, footer, alternatives }: LoginFormProps) {
  const { client, signedIn } = useAuth();
  const t = useT();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(initialError ? { message: initialError, fields: {} } : NO_ERRORS);
  // A wrong code: said once, in the alert above the form; the field is only marked invalid.
  const [codeRefused, setCodeRefused] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitting = useRef(false);
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
        if (!cancelled) setErrors({ message: t('login.oauthExpired'), fields: {} });
      });
    return () => {
      cancelled = true;
    };
  }, [oauthMfa, t]);

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
    if (!email.trim()) missing.email = t('login.missingEmail');
    if (!password) missing.password = t('login.missingPassword');
    if (Object.keys(missing).length) return setErrors({ message: t('login.missingFields'), fields: missing });
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

  async function submitCode(value: string) {
    if (step.kind === 'password' || submitting.current) return;
    const field = step.kind === 'totp' ? 'code' : 'recoveryCode';
    if (!value) return setErrors({ fields: { [field]: step.kind === 'totp' ? t('login.totpMissing') : t('login.recoveryMissing') } });
    submitting.current = true;
    setBusy(true);
    setErrors(NO_ERRORS);
    setCodeRefused(false);
    try {
      const { mfaToken } = step.challenge;
      const result = step.kind === 'totp' ? await client.loginMfa({ mfaToken, code: value }) : await client.loginMfa({ mfaToken, recoveryCode: value });
      finish(result.user);
    } catch (error) {
      if (isAuthError(error) && error.code === 'INVALID_TOKEN') {
        // The 5-minute MFA window closed: start again from the password.
        backToPassword();
        setErrors({ message: t('login.mfaExpired'), fields: {} });
      } else {
        const found = formErrorsFrom(error, ['code', 'recoveryCode']);
        // A plain wrong code has no details; the lock after too many in a row says how to recover, in `details`.
        const locked = isAuthError(error) ? error.details.find((d) => d.field === 'code')?.message : undefined;
        const refused = isAuthError(error) && error.code === 'INVALID_MFA_CODE';
        // Said once: in the alert above the form (announced); the field is only marked invalid.
        setErrors(refused ? { message: locked ?? found.message, fields: {} } : found);
        setCodeRefused(refused);
        setCode('');
        codeRef.current?.focus();
      }
      setBusy(false);
    } finally {
      submitting.current = false;
    }
  }

  function onCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submitCode(code.trim());
  }

  function switchTo(kind: 'totp' | 'recovery') {
    if (step.kind === 'password') return;
    setStep({ kind, challenge: step.challenge });
    setCode('');
    setErrors(NO_ERRORS);
    setCodeRefused(false);
  }

  function backToPassword(forget = false) {
    setStep({ kind: 'password' });
    setPassword('');
    setCode('');
    setErrors(NO_ERRORS);
    if (forget) setEmail('');
    // After the re-render: a different person starts at the email, the same one at the password.
    setTimeout(() => (forget ? emailRef.current : passwordRef.current)?.focus(), 0);
  }

  if (step.kind === 'password') {
    return (
      <AuthShell title={t('login.title')} subtitle={t('login.subtitle')} footer={footer}>
        {banner}
        {oauth}
        <form className={shell.form} onSubmit={onPassword} noValidate aria-busy={busy}>
          <FormAlert>{errors.message}</FormAlert>
          <Field
            ref={emailRef}
            label={t('login.email')}
            name="email"
            type="email"
            // "webauthn": the browser may offer passkeys in this field's autofill (conditional UI).
            autoComplete="username webauthn"
            inputMode="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.fields.email}
            autoFocus
          />
          <PasswordField
            ref={passwordRef}
            label={t('login.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.fields.password}
            // After the field (and its show/hide) in tab order: email, password, then the way out.
            after={
              <Link href="/forgot-password" className={styles.forgot}>
                {t('login.forgot')}
              </Link>
            }
          />
          <Button type="submit" block loading={busy} loadingText={t('login.submitting')}>
            {t('login.submit')}
          </Button>
        </form>
        {alternatives}
      </AuthShell>
    );
  }

  const totp = step.kind === 'totp';
  const canSwitch = step.challenge.methods.includes(totp ? 'recovery_code' : 'totp');
  return (
    <AuthShell title={t('login.mfaTitle')}>
      <form className={shell.form} onSubmit={onCode} noValidate aria-busy={busy}>
        <button type="button" className={`${shell.linkButton} ${styles.back}`} onClick={() => backToPassword()}>
          <span aria-hidden="true">← </span>
          {t('login.back')}
        </button>
        {email && (
          <div className={styles.account} data-testid="mfa-account">
            <span className={styles.accountLabel}>{t('login.mfaAccount')}</span>
            <span className={styles.accountEmail}>{email.trim()}</span>
            <button type="button" className={shell.linkButton} onClick={() => backToPassword(true)}>
              {t('login.notYou')}
            </button>
          </div>
        )}
        <p className="muted" id="mfa-help">
          {totp ? t('login.totpHelp') : t('login.recoveryHelp')}
        </p>
        <FormAlert>{errors.message}</FormAlert>
        {totp ? (
          <CodeInput
            ref={codeRef}
            key="totp"
            label={t('login.totpLabel')}
            name="code"
            required
            value={code}
            onValue={setCode}
            onComplete={(digits) => void submitCode(digits)}
            error={errors.fields.code}
            aria-invalid={codeRefused || undefined}
            readOnly={busy}
          />
        ) : (
          <Field
            ref={codeRef}
            key="recovery"
            label={t('login.recoveryLabel')}
            name="recoveryCode"
            autoComplete="off"
            maxLength={LIMITS.recoveryCodeMax}
            spellCheck={false}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={errors.fields.recoveryCode}
            aria-invalid={codeRefused || undefined}
          />
        )}
        <Button type="submit" block loading={busy} loadingText={t('login.verifying')}>
          {t('login.verify')}
        </Button>
        {step.challenge.passkey && <PasskeySecondFactor mfaToken={step.challenge.mfaToken} onSignedIn={(result) => finish(result.user)} />}
        {canSwitch && (
          <button type="button" className={shell.linkButton} onClick={() => switchTo(totp ? 'recovery' : 'totp')}>
            {totp ? t('login.useRecovery') : t('login.useTotp')}
          </button>
        )}
      </form>
    </AuthShell>
  );
}
