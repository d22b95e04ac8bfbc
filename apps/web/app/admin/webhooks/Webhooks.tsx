'use client';
import { RecentPasswordField } from '@/components/FreshSignIn';
import type { WebhookEndpoint, WebhookEventType } from '@portcullis/contract';
// The list alone (no zod in the browser bundle).
import { WEBHOOK_EVENT_TYPES } from '@portcullis/contract/codes';
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
import { useT } from '@/lib/i18n/client';
import styles from '@/components/integrations/integrations.module.css';
import { Deliveries } from './Deliveries';

/** Webhook endpoints: add (the secret shown once), enable or disable, remove, and each one's delivery log. */
export function Webhooks() {
  const { client } = useAuth();
  const t = useT();
  const { data, setData, error: loadError } = useApiGet<{ endpoints: WebhookEndpoint[] }>('/api/admin/webhooks');
  const [url, setUrl] = useState('');
  // A new target of events: the API asks for the password unless the sign-in is recent.
  const [password, setPassword] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [open, setOpen] = useState<string | null>(null);

  const replace = (endpoint: WebhookEndpoint) => setData((d) => ({ endpoints: (d?.endpoints ?? []).map((e) => (e.id === endpoint.id ? endpoint : e)) }));

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    setSecret(undefined);
    try {
      const result = await apiJson<{ endpoint: WebhookEndpoint; secret: string }>(client, 'POST', '/api/admin/webhooks', {
        url,
        events,
        password: password || undefined,
      });
      setSecret(result.secret);
      setData((d) => ({ endpoints: [result.endpoint, ...(d?.endpoints ?? [])] }));
      setUrl('');
      setPassword('');
    } catch (err) {
      setErrors(formErrorsFrom(err, ['url', 'events', 'password']));
    } finally {
      setBusy(false);
    }
  }

  async function setEnabled(endpoint: WebhookEndpoint, enabled: boolean) {
    try {
      replace((await apiJson<{ endpoint: WebhookEndpoint }>(client, 'PATCH', `/api/admin/webhooks/${endpoint.id}`, { enabled })).endpoint);
    } catch (err) {
      setErrors(formErrorsFrom(err, []));
    }
  }

  async function remove(endpoint: WebhookEndpoint) {
    try {
      await apiJson(client, 'DELETE', `/api/admin/webhooks/${endpoint.id}`);
      setData((d) => ({ endpoints: (d?.endpoints ?? []).filter((e) => e.id !== endpoint.id) }));
    } catch (err) {
      setErrors(formErrorsFrom(err, []));
    }
  }

  const toggle = (type: WebhookEventType) => setEvents((list) => (list.includes(type) ? list.filter((other) => other !== type) : [...list, type]));

  return (
    <div className="stack">
      <Card title={t('admin.webhooks.endpoints')}>
        <FormAlert>{loadError ? formErrorsFrom(loadError, []).message : errors.message}</FormAlert>
        {data && data.endpoints.length === 0 && <EmptyState title={t('admin.webhooks.empty')}>{t('admin.webhooks.emptyHint')}</EmptyState>}
        {data && data.endpoints.length > 0 && (
          <table className={styles.table} aria-label={t('admin.webhooks.table')}>
            <thead>
              <tr>
                <th>{t('admin.webhooks.url')}</th>
                <th>{t('admin.webhooks.events')}</th>
                <th>{t('admin.webhooks.state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.endpoints.map((endpoint) => (
                <tr key={endpoint.id} data-testid="webhook-row">
                  <td>
                    <code>{endpoint.url}</code>
                  </td>
                  <td className={styles.muted}>{endpoint.events.join(', ')}</td>
                  <td>{endpoint.enabled ? t('admin.webhooks.enabled') : t('admin.webhooks.disabled')}</td>
                  <td className={styles.actions}>
                    <Button size="sm" variant="secondary" onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}>
                      {open === endpoint.id ? t('admin.webhooks.hideDeliveries') : t('admin.webhooks.showDeliveries')}
                    </Button>
                    <Button size="sm" variant="secondary" onClick={() => void setEnabled(endpoint, !endpoint.enabled)}>
                      {endpoint.enabled ? t('admin.webhooks.disable') : t('admin.webhooks.enable')}
                    </Button>
                    <Button size="sm" variant="danger" onClick={() => void remove(endpoint)}>
                      {t('admin.webhooks.remove')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {open && <Deliveries endpointId={open} />}
      <Card title={t('admin.webhooks.add')} description={t('admin.webhooks.addHint')}>
        {secret && <ShownOnce label={t('admin.webhooks.secret')} value={secret} />}
        <form className={styles.form} onSubmit={create} aria-label={t('admin.webhooks.addForm')}>
          <Field
            label={t('admin.webhooks.url')}
            name="url"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={errors.fields.url}
            required
          />
          <fieldset className={styles.choices}>
            <legend>{t('admin.webhooks.events')}</legend>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type}>
                <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} /> {type}
              </label>
            ))}
          </fieldset>
          <FormAlert>{errors.fields.events}</FormAlert>
          <RecentPasswordField value={password} onChange={setPassword} error={errors.fields.password} />
          <Button type="submit" loading={busy} loadingText={t('admin.webhooks.adding')}>
            {t('admin.webhooks.addSubmit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
