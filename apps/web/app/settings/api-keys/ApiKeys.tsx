'use client';
import { RecentPasswordField } from '@/components/FreshSignIn';
import { hasPermission, PERMISSIONS, type ApiKey, type Permission, type Role } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { ShownOnce } from '@/components/integrations/ShownOnce';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { useT } from '@/lib/i18n/client';
import styles from '@/components/integrations/integrations.module.css';

/** What a key may be given: what you can do to your own things, and `manage_users` only if your role has it. */
const offered = (role: Role) => PERMISSIONS.filter((p) => p !== 'manage_users' || hasPermission(role, p));

export function ApiKeys({ role }: { role: Role }) {
  const { client } = useAuth();
  const t = useT();
  const { data, setData, error: loadError } = useApiGet<{ apiKeys: ApiKey[] }>('/api/auth/api-keys');
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>(['read']);
  const [days, setDays] = useState('90');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string>();

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    setCreated(undefined);
    try {
      const result = await client.createApiKey({ name, permissions, expiresInDays: days === 'never' ? null : Number(days), password: password || undefined });
      setCreated(result.key);
      setData((d) => ({ apiKeys: [result.apiKey, ...(d?.apiKeys ?? [])] }));
      setName('');
      setPassword('');
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name', 'permissions', 'expiresInDays', 'password']));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKey) {
    try {
      await client.revokeApiKey(key.id);
      setData((d) => ({ apiKeys: (d?.apiKeys ?? []).filter((k) => k.id !== key.id) }));
    } catch (err) {
      setErrors(formErrorsFrom(err, []));
    }
  }

  const toggle = (p: Permission) => setPermissions((list) => (list.includes(p) ? list.filter((x) => x !== p) : [...list, p]));

  return (
    <div className="stack">
      {created && <ShownOnce label={t('apiKeys.newKey')} value={created} />}
      <FormAlert>{loadError ? formErrorsFrom(loadError, []).message : errors.message}</FormAlert>
      {data && data.apiKeys.length === 0 && <EmptyState title={t('apiKeys.emptyTitle')}>{t('apiKeys.empty')}</EmptyState>}
      {data && data.apiKeys.length > 0 && (
        <table className={styles.table} aria-label={t('apiKeys.title')}>
          <thead>
            <tr>
              <th>{t('apiKeys.name')}</th>
              <th>{t('apiKeys.key')}</th>
              <th>{t('apiKeys.permissions')}</th>
              <th>{t('apiKeys.expires')}</th>
              <th>{t('apiKeys.lastUsed')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.apiKeys.map((key) => (
              <tr key={key.id} data-testid="api-key-row">
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{key.permissions.join(', ')}</td>
                <td>{key.expiresAt ? formatDateTime(key.expiresAt) : t('apiKeys.never')}</td>
                <td className={styles.muted}>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t('apiKeys.never')}</td>
                <td>
                  <Button variant="danger" size="sm" onClick={() => void revoke(key)}>
                    {t('settings.revoke')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className={styles.form} onSubmit={create} aria-label={t('apiKeys.form')}>
        <Field label={t('apiKeys.name')} name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.name} required />
        <fieldset className={styles.choices}>
          <legend>{t('apiKeys.permissions')}</legend>
          {offered(role).map((p) => (
            <label key={p}>
              <input type="checkbox" checked={permissions.includes(p)} onChange={() => toggle(p)} /> {p}
            </label>
          ))}
        </fieldset>
        <FormAlert>{errors.fields.permissions}</FormAlert>
        <label>
          {t('apiKeys.expiresAfter')}{' '}
          <select value={days} onChange={(e) => setDays(e.target.value)} aria-label={t('apiKeys.expiresAfter')}>
            <option value="30">{t('apiKeys.days30')}</option>
            <option value="90">{t('apiKeys.days90')}</option>
            <option value="365">{t('apiKeys.year')}</option>
            <option value="never">{t('apiKeys.neverOption')}</option>
          </select>
        </label>
        <RecentPasswordField value={password} onChange={setPassword} error={errors.fields.password} />
        <Button type="submit" loading={busy} loadingText={t('apiKeys.creating')}>
          {t('apiKeys.create')}
        </Button>
      </form>
    </div>
  );
}
