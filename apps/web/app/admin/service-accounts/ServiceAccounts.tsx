'use client';
import type { Role, ServiceAccount } from '@portcullis/contract';
import { ROLES } from '@portcullis/contract/access';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { ShownOnce } from '@/components/integrations/ShownOnce';
import { useApiGet } from '@/components/useApiGet';
import { apiJson } from '@/lib/api';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import styles from '@/components/integrations/integrations.module.css';

export function ServiceAccounts() {
  const { client } = useAuth();
  const { data, setData, error: loadError } = useApiGet<{ serviceAccounts: ServiceAccount[] }>('/api/admin/service-accounts');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string>();

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    setSecret(undefined);
    try {
      const result = await apiJson<{ serviceAccount: ServiceAccount; clientSecret: string }>(client, 'POST', '/api/admin/service-accounts', { name, role });
      setSecret(result.clientSecret);
      setData((d) => ({ serviceAccounts: [result.serviceAccount, ...(d?.serviceAccounts ?? [])] }));
      setName('');
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name', 'role']));
    } finally {
      setBusy(false);
    }
  }

  async function remove(account: ServiceAccount) {
    try {
      await apiJson(client, 'DELETE', `/api/admin/service-accounts/${account.id}`);
      setData((d) => ({ serviceAccounts: (d?.serviceAccounts ?? []).filter((a) => a.id !== account.id) }));
    } catch (err) {
      setErrors(formErrorsFrom(err, []));
    }
  }

  return (
    <div className="stack">
      <Card title="Service accounts">
        <FormAlert>{loadError ? formErrorsFrom(loadError, []).message : errors.message}</FormAlert>
        {data && data.serviceAccounts.length === 0 && <EmptyState title="No service accounts" />}
        {data && data.serviceAccounts.length > 0 && (
          <table className={styles.table} aria-label="Service accounts">
            <thead>
              <tr>
                <th>Name</th>
                <th>Client id</th>
                <th>Role</th>
                <th>Last token</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.serviceAccounts.map((account) => (
                <tr key={account.id} data-testid="service-account-row">
                  <td>{account.name}</td>
                  <td>
                    <code>{account.clientId}</code>
                  </td>
                  <td>{account.role}</td>
                  <td className={styles.muted}>{account.lastUsedAt ? formatDateTime(account.lastUsedAt) : 'Never'}</td>
                  <td>
                    <Button size="sm" variant="danger" onClick={() => void remove(account)}>
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Create a service account" description="Its client secret is shown once; its tokens are refused as soon as it is deleted.">
        {secret && <ShownOnce label="Client secret" value={secret} />}
        <form className={styles.form} onSubmit={create} aria-label="Create a service account">
          <Field label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.fields.name} required />
          <label>
            Role{' '}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label="Role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit" loading={busy} loadingText="Creating…">
            Create
          </Button>
        </form>
      </Card>
    </div>
  );
}
