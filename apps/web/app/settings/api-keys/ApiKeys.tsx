'use client';
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
import styles from '@/components/integrations/integrations.module.css';

/** What a key may be given: what you can do to your own things, and `manage_users` only if your role has it. */
const offered = (role: Role) => PERMISSIONS.filter((p) => p !== 'manage_users' || hasPermission(role, p));

export function ApiKeys({ role }: { role: Role }) {
  const { client } = useAuth();
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
      {created && <ShownOnce label="Your new API key" value={created} />}
      <FormAlert>{loadError ? formErrorsFrom(loadError, []).message : errors.message}</FormAlert>
      {data && data.apiKeys.length === 0 && <EmptyState title="No API keys">Create one below for a script or a CLI.</EmptyState>}
      {data && data.apiKeys.length > 0 && (
        <table className={styles.table} aria-label="API keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Permissions</th>
              <th>Expires</th>
              <th>Last used</th>
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
                <td>{key.expiresAt ? formatDateTime(key.expiresAt) : 'Never'}</td>
                <td className={styles.muted}>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}</td>
                <td>
                  <Button variant="danger" size="sm" onClick={() => void revoke(key)}>
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className={styles.form} onSubmit={create} aria-label="Create an API key">
        <Field label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.name} required />
        <fieldset className={styles.choices}>
          <legend>Permissions</legend>
          {offered(role).map((p) => (
            <label key={p}>
              <input type="checkbox" checked={permissions.includes(p)} onChange={() => toggle(p)} /> {p}
            </label>
          ))}
        </fieldset>
        <FormAlert>{errors.fields.permissions}</FormAlert>
        <label>
          Expires after{' '}
          <select value={days} onChange={(e) => setDays(e.target.value)} aria-label="Expires after">
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">a year</option>
            <option value="never">never</option>
          </select>
        </label>
        <Field
          label="Your password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          hint="Not needed within 10 minutes of signing in."
        />
        <Button type="submit" loading={busy} loadingText="Creating…">
          Create key
        </Button>
      </form>
    </div>
  );
}
