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
import styles from '@/components/integrations/integrations.module.css';

/** One endpoint's delivery log, newest first, with the receiver's answer and a resend button. */
export function Deliveries({ endpointId }: { endpointId: string }) {
  const { client } = useAuth();
  const { data, error, reload } = useApiGet<{ deliveries: WebhookDelivery[]; total: number }>(`/api/admin/webhooks/${endpointId}/deliveries?limit=50`);
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<string>();

  async function resend(delivery: WebhookDelivery) {
    setFailure(undefined);
    try {
      await apiJson(client, 'POST', `/api/admin/webhooks/${endpointId}/deliveries/${delivery.id}/resend`);
      setNotice(`${delivery.eventType} queued again.`);
      await reload();
    } catch (err) {
      setFailure(formErrorsFrom(err, []).message);
    }
  }

  return (
    <Card
      title="Deliveries"
      description={data ? `${data.total} in all` : undefined}
      actions={
        <Button size="sm" variant="ghost" onClick={() => void reload()}>
          Refresh
        </Button>
      }
    >
      <FormAlert>{error ? formErrorsFrom(error, []).message : failure}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {data && data.deliveries.length === 0 && <EmptyState title="Nothing sent yet" />}
      {data && data.deliveries.length > 0 && (
        <table className={styles.table} aria-label="Deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Response</th>
              <th>Attempts</th>
              <th>Created</th>
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
                    Resend
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
