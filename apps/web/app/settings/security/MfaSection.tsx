'use client';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { postAuthed, type TotpSetup } from '@/lib/account-api';
import type { ReauthFormErrors } from '@/lib/reauthentication';
import { mfaFormErrors } from './mfaErrors';
import styles from './mfa.module.css';
import { DisableMfaForm } from './DisableMfaForm';
import { RecoveryCodes } from './RecoveryCodes';
import { RecoveryCodesLeft } from './RecoveryCodesLeft';
import { RegenerateCodesForm } from './RegenerateCodesForm';

type Step =
  | { kind: 'off' }
  | { kind: 'setup'; setup: TotpSetup }
  | { kind: 'codes'; codes: string[]; notice: string }
  | { kind: 'on' }
  | { kind: 'regenerating' }
  | { kind: 'disabling' };

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/**
 * Two-step verification with an authenticator app: setup (QR code and secret), enable with a
 * code and the password (an account without one must have signed in within the last few minutes:
 * a stolen session must not enrol someone else's app), recovery codes shown once (copy /
 * download), how many are left and a new set, and disable with a code (and the password).
 */
export function MfaSection({ initiallyEnabled, email }: { initiallyEnabled: boolean; email: string }) {
  const { client, ready } = useAuth();
  const [step, setStep] = useState<Step>(initiallyEnabled ? { kind: 'on' } : { kind: 'off' });
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const hasPassword = useHasPassword(step.kind === 'setup');
  const [notice, setNotice] = useState<string>();

  async function run(action: () => Promise<void>, fields: string[]) {
    setBusy(true);
    setErrors(NO_ERRORS);
    setNotice(undefined);
    try {
      await ready();
      await action();
    } catch (error) {
      setErrors(mfaFormErrors(error, fields));
    } finally {
      setBusy(false);
    }
  }

  const startSetup = () =>
    run(async () => {
      const setup = await postAuthed<TotpSetup>(client, '/api/auth/mfa/totp/setup');
      setCode('');
      setPassword('');
      setStep({ kind: 'setup', setup });
    }, []);

  const enable = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = code.replace(/\s+/g, '');
    const found: Record<string, string> = {};
    if (hasPassword && !password) found.password = 'Enter your password.';
    if (!/^\d{6}$/.test(value)) found.code = 'Enter the 6-digit code from your app.';
    if (Object.keys(found).length) return setErrors({ fields: found });
    void run(async () => {
      const body = { code: value, ...(hasPassword ? { password } : {}) };
      const { recoveryCodes } = await postAuthed<{ recoveryCodes: string[] }>(client, '/api/auth/mfa/totp/enable', body);
      setCode('');
      setPassword('');
      setStep({ kind: 'codes', codes: recoveryCodes, notice: 'Two-step verification is on.' });
    }, ['password', 'code']);
  };

  if (step.kind === 'setup') {
    return (
      <div className="stack">
        <div className={styles.setup}>
          {/* A plain img: the QR code is a data: URL, nothing for next/image to optimise. */}
          <img className={styles.qr} src={step.setup.qrCodeDataUrl} alt="QR code to add Portcullis to your authenticator app" width={200} height={200} />
          <div className="stack">
            <p>Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy…), or enter this key by hand:</p>
            <p>
              <code className={styles.secret} data-testid="totp-secret" aria-label="Setup key">
                {step.setup.secret}
              </code>
            </p>
            <form className={styles.form} onSubmit={enable} noValidate aria-busy={busy} aria-label="Turn on two-step verification">
              <ReauthFields
                email={email}
                hasPassword={hasPassword}
                password={password}
                onPassword={setPassword}
                errors={errors}
                returnTo="/settings/security"
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
                <Button type="submit" loading={busy} loadingText="Turning on…">
                  Turn on
                </Button>
                <Button variant="ghost" onClick={() => setStep({ kind: 'off' })} disabled={busy}>
                  Cancel
                </Button>
              </div>
            </form>
          </div>
        </div>
      </div>
    );
  }

  if (step.kind === 'codes') return <RecoveryCodes codes={step.codes} email={email} notice={step.notice} onDone={() => setStep({ kind: 'on' })} />;

  if (step.kind === 'regenerating') {
    return (
      <RegenerateCodesForm
        email={email}
        onCancel={() => setStep({ kind: 'on' })}
        onDone={(codes) => setStep({ kind: 'codes', codes, notice: 'New recovery codes are ready. The old ones no longer work.' })}
      />
    );
  }

  if (step.kind === 'disabling') {
    return (
      <DisableMfaForm
        email={email}
        onCancel={() => setStep({ kind: 'on' })}
        onDone={() => {
          setStep({ kind: 'off' });
          setNotice('Two-step verification is off.');
        }}
      />
    );
  }

  const on = step.kind === 'on';
  return (
    <div className="stack">
      <FormAlert tone="success">{notice}</FormAlert>
      <FormAlert>{errors.message}</FormAlert>
      <p className={`${styles.status} ${on ? styles.on : styles.off}`} data-testid="mfa-status">
        {on ? '● On: sign-in asks for a code from your authenticator app.' : '○ Off: sign-in only asks for your password.'}
      </p>
      {on && <RecoveryCodesLeft />}
      <div className={styles.actions}>
        {on && (
          <Button
            variant="secondary"
            onClick={() => {
              setErrors(NO_ERRORS);
              setNotice(undefined);
              setStep({ kind: 'regenerating' });
            }}
          >
            Generate new recovery codes…
          </Button>
        )}
        {on ? (
          <Button
            variant="secondary"
            onClick={() => {
              setErrors(NO_ERRORS);
              setStep({ kind: 'disabling' });
            }}
          >
            Turn off…
          </Button>
        ) : (
          <Button onClick={startSetup} loading={busy} loadingText="Preparing…">
            Set up authenticator app
          </Button>
        )}
      </div>
    </div>
  );
}
