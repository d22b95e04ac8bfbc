'use client';
import type { LoginResult, MfaChallenge } from '@portcullis/sdk';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAuth } from './AuthProvider';
import shell from './AuthShell.module.css';
import { Button } from './Button';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';

type Stage = { kind: 'closed' } | { kind: 'email' } | { kind: 'code'; email: string } | { kind: 'mfa'; challenge: MfaChallenge };
const NO_ERRORS: FormErrors = { fields: {} };

/**
 * "Email me a code" on the login page, shown only when the API has EMAIL_SIGNIN on: an address,
 * then the 6-digit code from the mail (or the mail's link, which lands here with `signInToken`),
 * then, for an account with two-step verification, a code from the app.
 */
export function EmailCodeSignIn({ redirectTo, signInToken }: { redirectTo: string; signInToken?: string | undefined }) {
  const { client, signedIn } = useAuth();
  const t = useT();
  const [enabled, setEnabled] = useState(false);
  const [stage, setStage] = useState<Stage>({ kind: 'closed' });
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const redeemed = useRef(false);

  useEffect(() => {
    client
      .signInMethods()
      .then((methods) => setEnabled(methods.emailCode))
      .catch(() => undefined);
  }, [client]);

  function handle(result: LoginResult) {
    if (result.mfaRequired) {
      setStage({ kind: 'mfa', challenge: result });
      setCode('');
      setBusy(false);
      return;
    }
    signedIn(result.user);
    window.location.assign(redirectTo);
  }

  // The mail's link: redeemed once (it is single use), whatever React does with effects.
  useEffect(() => {
    if (!signInToken || redeemed.current) return;
    redeemed.current = true;
    setBusy(true);
    client
      .redeemEmailSignIn({ token: signInToken })
      .then(handle)
      .catch(() => {
        setErrors({ message: t('emailCode.linkExpired'), fields: {} });
        setBusy(false);
      });
  }, [client, signInToken]); // handle is stable in effect: it only sets state and navigates

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      if (stage.kind === 'email') {
        await client.requestEmailSignIn(email.trim());
        setStage({ kind: 'code', email: email.trim() });
        setBusy(false);
      } else if (stage.kind === 'code') {
        handle(await client.redeemEmailSignIn({ email: stage.email, code: code.trim() }));
      } else if (stage.kind === 'mfa') {
        handle(await client.loginMfa({ mfaToken: stage.challenge.mfaToken, code: code.replace(/\s+/g, '') }));
      }
    } catch (error) {
      setErrors(formErrorsFrom(error, ['email', 'code']));
      setBusy(false);
    }
  }

  if (!enabled && !signInToken) return null;
  if (stage.kind === 'closed') {
    return (
      <div className={shell.form}>
        <FormAlert>{errors.message}</FormAlert>
        {enabled && (
          <Button variant="secondary" block loading={busy} onClick={() => setStage({ kind: 'email' })}>
            {t('emailCode.open')}
          </Button>
        )}
      </div>
    );
  }
  return (
    <form className={shell.form} onSubmit={submit} noValidate aria-busy={busy} aria-label={t('emailCode.form')}>
      <FormAlert>{errors.message}</FormAlert>
      {stage.kind === 'email' && (
        <Field
          label={t('emailCode.email')}
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
        />
      )}
      {stage.kind === 'code' && <p className="muted">{t('emailCode.sent', { email: stage.email })}</p>}
      {stage.kind !== 'email' && (
        <Field
          label={stage.kind === 'mfa' ? t('settings.codeFromApp') : t('emailCode.codeFromMail')}
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.fields.code}
        />
      )}
      <Button type="submit" block loading={busy}>
        {stage.kind === 'email' ? t('emailCode.send') : t('login.submit')}
      </Button>
    </form>
  );
}
