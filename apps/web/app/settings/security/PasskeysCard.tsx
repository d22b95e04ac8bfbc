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
import styles from './security.module.css';

const NO_ERRORS: FormErrors = { fields: {} };

/**
 * The account's passkeys: add one (the password, or a recent sign-in without one, and a code with
 * two-step verification on: the API's re-authentication), rename, remove (the API refuses the last
 * way to sign in), and when each was last used.
 */
export function PasskeysCard({ mfaEnabled }: { mfaEnabled: boolean }) {
  const { client, ready } = useAuth();
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
      setNotice(`Passkey “${added.name}” added. You can now sign in with it.`);
      setAdding(false);
      setName('');
      setPassword('');
      setCode('');
      await load();
    } catch (err) {
      setErrors(
        err instanceof Error && err.name === 'NotAllowedError'
          ? { message: 'The passkey request was cancelled or timed out.', fields: {} }
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
      {list?.length === 0 && <p className="muted">No passkeys yet.</p>}
      {list && list.length > 0 && (
        <ul className={styles.list} aria-label="Your passkeys">
          {list.map((p) => (
            <li key={p.id} className={styles.item}>
              <div className={styles.meta}>
                {renaming?.id === p.id ? (
                  <Field
                    label="New name"
                    name="name"
                    value={renaming.name}
                    onChange={(e) => setRenaming({ id: p.id, name: e.target.value })}
                    error={errors.fields.name}
                  />
                ) : (
                  <span className={styles.device}>{p.name}</span>
                )}
                <span className={styles.details}>
                  {p.synced ? 'Synced' : 'This device only'} · added {formatDateTime(p.createdAt)} ·{' '}
                  {p.lastUsedAt ? `last used ${formatDateTime(p.lastUsedAt)}` : 'never used'}
                </span>
              </div>
              {renaming?.id === p.id ? (
                <Button size="sm" loading={busy === p.id} onClick={() => act(p.id, () => client.renamePasskey(p.id, renaming.name), 'Passkey renamed.')}>
                  Save name
                </Button>
              ) : (
                <Button size="sm" variant="secondary" onClick={() => setRenaming({ id: p.id, name: p.name })}>
                  Rename
                </Button>
              )}
              <Button
                size="sm"
                variant="danger"
                loading={busy === p.id}
                onClick={() => act(p.id, () => client.deletePasskey(p.id), `Passkey “${p.name}” removed.`)}
              >
                Remove {p.name}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {!adding ? (
        <Button variant="secondary" onClick={() => setAdding(true)} disabled={!supported}>
          Add a passkey
        </Button>
      ) : (
        <form className={styles.form} onSubmit={add} noValidate aria-label="Add a passkey">
          <Field
            label="Passkey name"
            name="name"
            placeholder="e.g. Work laptop"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
          />
          {hasPassword ? (
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={errors.fields.password}
            />
          ) : (
            <p className="muted">Your account has no password: a sign-in of the last 10 minutes proves it is you.</p>
          )}
          {mfaEnabled && (
            <Field
              label="Code from the app"
              name="code"
              autoComplete="one-time-code"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={errors.fields.code}
            />
          )}
          <Button type="submit" loading={busy === 'add'} loadingText="Waiting for your passkey…">
            Create passkey
          </Button>
        </form>
      )}
    </div>
  );
}
