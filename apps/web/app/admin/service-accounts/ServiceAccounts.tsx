'use client';
import { RecentPasswordField } from '@/components/FreshSignIn';
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
import { useT } from '@/lib/i18n/client';
import styles from '@/components/integrations/integrations.module.css';

export function ServiceAccounts() {
  const { client } = useAuth();
  const t = useT();
  const { data, setData, error: loadError } = useApiGet<{ serviceAccounts: ServiceAccount[] }>('/api/admin/service-accounts');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('user');
  // A lasting credential: the API asks for the password unless the sign-in is recent.
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string>();

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    setSecret(undefined);
    try {
      const result = await apiJson<{ serviceAccount: ServiceAccount; clientSecret: string }>(client, 'POST', '/api/admin/service-accounts', {
        name,
        role,
        password: password || undefined,
      });
      setSecret(result.clientSecret);
      setData((d) => ({ serviceAccounts: [result.serviceAccount, ...(d?.serviceAccounts ?? [])] }));
      setName('');
      setPassword('');
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name', 'role', 'password']));
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
      <Card title={t('admin.nav.serviceAccounts')}>
        <FormAlert>{loadError ? formErrorsFrom(loadError, []).message : errors.message}</FormAlert>
        {data && data.serviceAccounts.length === 0 && <EmptyState title={t('admin.serviceAccounts.empty')} />}
        {data && data.serviceAccounts.length > 0 && (
          <table className={styles.table} aria-label={t('admin.nav.serviceAccounts')}>
            <thead>
              <tr>
                <th>{t('admin.serviceAccounts.name')}</th>
                <th>{t('admin.serviceAccounts.clientId')}</th>
                <th>{t('admin.serviceAccounts.role')}</th>
                <th>{t('admin.serviceAccounts.lastToken')}</th>
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
                  <td className={styles.muted}>{account.lastUsedAt ? formatDateTime(account.lastUsedAt) : t('admin.never')}</td>
                  <td>
                    <Button size="sm" variant="danger" onClick={() => void remove(account)}>
                      {t('admin.serviceAccounts.delete')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t('admin.serviceAccounts.create')} description={t('admin.serviceAccounts.createHint')}>
        {secret && <ShownOnce label={t('admin.serviceAccounts.secret')} value={secret} />}
        <form className={styles.form} onSubmit={create} aria-label={t('admin.serviceAccounts.create')}>
          <Field
            label={t('admin.serviceAccounts.name')}
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.fields.name}
            required
          />
          <label>
            {t('admin.serviceAccounts.role')}{' '}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label={t('admin.serviceAccounts.role')}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <RecentPasswordField value={password} onChange={setPassword} error={errors.fields.password} />
          <Button type="submit" loading={busy} loadingText={t('admin.serviceAccounts.creating')}>
            {t('admin.serviceAccounts.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
