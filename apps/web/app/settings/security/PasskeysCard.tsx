'use client';
import type { Passkey } from '@portcullis/sdk';
import { addPasskey, passkeysSupported } from '@portcullis/sdk/passkeys';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { useHasPassword } from '@/components/useHasPassword';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { useT } from '@/lib/i18n/client';
import { FRESH_SIGN_IN_MINUTES } from '@/lib/reauthentication';
import styles from './security.module.css';

const NO_ERRORS: FormErrors = { fields: {} };

/**
 * The account's passkeys: add one (the password, or a recent sign-in without one, and a code with
 * two-step verification on: the API's re-authentication), rename, remove (the API refuses the last
 * way to sign in), and when each was last used.
 */
export function PasskeysCard({ mfaEnabled }: { mfaEnabled: boolean }) {
  const { client, ready } = useAuth();
  const t = useT();
  const hasPassword = useHasPassword();
  const [list, setList] = useState<Passkey[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string>();
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  // Known only in the browser (the server render has no navigator): asked after hydration.
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(passkeysSupported()), []);

  const load = useCallback(async () => {
    await ready();
    setList(await client.passkeys());
  }, [client, ready]);

  useEffect(() => {
    load().catch((err: unknown) => setErrors(formErrorsFrom(err, [])));
  }, [load]);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy('add');
    setErrors(NO_ERRORS);
    setNotice(undefined);
    try {
      const proof = { ...(hasPassword && { password }), ...(mfaEnabled && { code: code.replace(/\s+/g, '') }) };
      const added = await addPasskey(client, { ...proof, ...(name.trim() && { name: name.trim() }) });
      setNotice(t('security.passkeyAdded', { name: added.name }));
      setAdding(false);
      setName('');
      setPassword('');
      setCode('');
      await load();
    } catch (err) {
      setErrors(
        err instanceof Error && err.name === 'NotAllowedError'
          ? { message: t('passkey.cancelled'), fields: {} }
          : formErrorsFrom(err, ['password', 'code', 'name']),
      );
    } finally {
      setBusy(null);
    }
  }

  async function act(id: string, action: () => Promise<unknown>, done: string) {
    setBusy(id);
    setErrors(NO_ERRORS);
    setNotice(undefined);
    try {
      await action();
      setNotice(done);
      setRenaming(null);
      await load();
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name']));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className={styles.sessions} data-testid="passkeys">
      <FormAlert>{errors.message}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {list?.length === 0 && <p className="muted">{t('security.passkeysEmpty')}</p>}
      {list && list.length > 0 && (
        <ul className={styles.list} aria-label={t('security.passkeysList')}>
          {list.map((p) => (
            <li key={p.id} className={styles.item}>
              <div className={styles.meta}>
                {renaming?.id === p.id ? (
                  <Field
                    label={t('security.passkeyNewName')}
                    name="name"
                    value={renaming.name}
                    onChange={(e) => setRenaming({ id: p.id, name: e.target.value })}
                    error={errors.fields.name}
                  />
                ) : (
                  <span className={styles.device}>{p.name}</span>
                )}
                <span className={styles.details}>
                  {t('security.passkeyDetails', {
                    kind: p.synced ? t('security.passkeySynced') : t('security.passkeyDeviceOnly'),
                    added: formatDateTime(p.createdAt),
                    used: p.lastUsedAt ? t('security.passkeyLastUsed', { date: formatDateTime(p.lastUsedAt) }) : t('security.passkeyNeverUsed'),
                  })}
                </span>
              </div>
              {renaming?.id === p.id ? (
                <Button
                  size="sm"
                  loading={busy === p.id}
                  onClick={() => act(p.id, () => client.renamePasskey(p.id, renaming.name), t('security.passkeyRenamed'))}
                >
                  {t('settings.saveName')}
                </Button>
              ) : (
                <Button size="sm" variant="secondary" onClick={() => setRenaming({ id: p.id, name: p.name })}>
                  {t('security.passkeyRename')}
                </Button>
              )}
              <Button
                size="sm"
                variant="danger"
                loading={busy === p.id}
                onClick={() => act(p.id, () => client.deletePasskey(p.id), t('security.passkeyRemoved', { name: p.name }))}
              >
                {t('security.passkeyRemove', { name: p.name })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {!adding ? (
        <Button variant="secondary" onClick={() => setAdding(true)} disabled={!supported}>
          {t('security.passkeyAdd')}
        </Button>
      ) : (
        <form className={styles.form} onSubmit={add} noValidate aria-label={t('security.passkeyAdd')}>
          <Field
            label={t('security.passkeyName')}
            name="name"
            placeholder={t('security.passkeyNameExample')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
          />
          {hasPassword ? (
            <Field
              label={t('login.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.fields.password}
            />
          ) : (
            <p className="muted">{t('security.passkeyNoPassword', { minutes: FRESH_SIGN_IN_MINUTES })}</p>
          )}
          {mfaEnabled && (
            <Field
              label={t('settings.codeFromApp')}
              name="code"
              autoComplete="one-time-code"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={errors.fields.code}
            />
          )}
          <Button type="submit" loading={busy === 'add'} loadingText={t('passkey.waiting')}>
            {t('security.passkeyCreate')}
          </Button>
        </form>
      )}
    </div>
  );
}
