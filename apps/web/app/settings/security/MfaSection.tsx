'use client';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { postAuthed, type TotpSetup } from '@/lib/account-api';
import { useT } from '@/lib/i18n/client';
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
  const t = useT();
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
      setErrors(mfaFormErrors(error, fields, t));
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
    if (hasPassword && !password) found.password = t('login.missingPassword');
    if (!/^\d{6}$/.test(value)) found.code = t('settings.missingTotp');
    if (Object.keys(found).length) return setErrors({ fields: found });
    void run(async () => {
      const body = { code: value, ...(hasPassword ? { password } : {}) };
      const { recoveryCodes } = await postAuthed<{ recoveryCodes: string[] }>(client, '/api/auth/mfa/totp/enable', body);
      setCode('');
      setPassword('');
      setStep({ kind: 'codes', codes: recoveryCodes, notice: t('security.mfaOnNotice') });
    }, ['password', 'code']);
  };

  if (step.kind === 'setup') {
    return (
      <div className="stack">
        <div className={styles.setup}>
          {/* A plain img: the QR code is a data: URL, nothing for next/image to optimise. */}
          <img className={styles.qr} src={step.setup.qrCodeDataUrl} alt={t('security.qrAlt')} width={200} height={200} />
          <div className="stack">
            <p>{t('security.scan')}</p>
            <p>
              <code className={styles.secret} data-testid="totp-secret" aria-label={t('security.setupKey')}>
                {step.setup.secret}
              </code>
            </p>
            <form className={styles.form} onSubmit={enable} noValidate aria-busy={busy} aria-label={t('security.enableForm')}>
              <ReauthFields
                email={email}
                hasPassword={hasPassword}
                password={password}
                onPassword={setPassword}
                errors={errors}
                returnTo="/settings/security"
              />
              <Field
                label={t('settings.codeFromApp')}
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
                <Button type="submit" loading={busy} loadingText={t('security.turningOn')}>
                  {t('security.turnOn')}
                </Button>
                <Button variant="ghost" onClick={() => setStep({ kind: 'off' })} disabled={busy}>
                  {t('settings.cancel')}
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
        onDone={(codes) => setStep({ kind: 'codes', codes, notice: t('security.newCodesNotice') })}
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
          setNotice(t('security.mfaOffNotice'));
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
        {on ? t('security.statusOn') : t('security.statusOff')}
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
            {t('security.regenerateOpen')}
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
            {t('security.turnOffOpen')}
          </Button>
        ) : (
          <Button onClick={startSetup} loading={busy} loadingText={t('security.preparing')}>
            {t('security.setUp')}
          </Button>
        )}
      </div>
    </div>
  );
}
