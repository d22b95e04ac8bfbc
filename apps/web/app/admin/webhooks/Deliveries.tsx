'use client';
import type { WebhookDelivery } from '@portcullis/contract';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { FormAlert } from '@/components/FormAlert';
import { useApiGet } from '@/components/useApiGet';
import { apiJson } from '@/lib/api';
import { formErrorsFrom } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { useT } from '@/lib/i18n/client';
import styles from '@/components/integrations/integrations.module.css';

/** One endpoint's delivery log, newest first, with the receiver's answer and a resend button. */
export function Deliveries({ endpointId }: { endpointId: string }) {
  const { client } = useAuth();
  const t = useT();
  const { data, error, reload } = useApiGet<{ deliveries: WebhookDelivery[]; total: number }>(`/api/admin/webhooks/${endpointId}/deliveries?limit=50`);
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function resend(delivery: WebhookDelivery) {
    setFailure(undefined);
    try {
      await apiJson(client, 'POST', `/api/admin/webhooks/${endpointId}/deliveries/${delivery.id}/resend`);
      setNotice(t('admin.deliveries.queued', { event: delivery.eventType }));
      await reload();
    } catch (err) {
      setFailure(formErrorsFrom(err, []).message);
    }
  }

  return (
    <Card
      title={t('admin.deliveries.title')}
      description={data ? t('admin.inAll', { count: data.total }) : undefined}
      actions={
        <Button size="sm" variant="ghost" onClick={() => void reload()}>
          {t('admin.deliveries.refresh')}
        </Button>
      }
    >
      <FormAlert>{error ? formErrorsFrom(error, []).message : failure}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {data && data.deliveries.length === 0 && <EmptyState title={t('admin.deliveries.empty')} />}
      {data && data.deliveries.length > 0 && (
        <table className={styles.table} aria-label={t('admin.deliveries.title')}>
          <thead>
            <tr>
              <th>{t('admin.deliveries.event')}</th>
              <th>{t('admin.deliveries.status')}</th>
              <th>{t('admin.deliveries.response')}</th>
              <th>{t('admin.deliveries.attempts')}</th>
              <th>{t('admin.deliveries.created')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.deliveries.map((delivery) => (
              <tr key={delivery.id} data-testid="delivery-row">
                <td>
                  {delivery.eventType}
                  <div className={styles.muted}>
                    <code>{delivery.messageId}</code>
                  </div>
                </td>
                <td>{delivery.status}</td>
                <td>
                  {delivery.responseStatus ?? '—'}
                  {delivery.lastError && <div className={styles.muted}>{delivery.lastError}</div>}
                </td>
                <td>{delivery.attempts}</td>
                <td className={styles.muted}>{formatDateTime(delivery.createdAt)}</td>
                <td>
                  <Button size="sm" variant="secondary" onClick={() => void resend(delivery)}>
                    {t('admin.deliveries.resend')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
