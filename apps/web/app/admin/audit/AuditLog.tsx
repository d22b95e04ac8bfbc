'use client';
import type { admin, ResponseOf } from '@portcullis/contract';
import { useState, type FormEvent } from 'react';
import { Pager } from '@/components/Pager';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { queryString } from '@/lib/api';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { AUDIT_EVENT_TYPES as TYPES } from '@/lib/auditTypes';
import { formatDateTime } from '@/lib/format';
import styles from '../admin.module.css';

interface Filters {
  userId: string;
  actorId: string;
  type: string;
}

const LIMIT = 50;

export function AuditLog({ initial }: { initial: Filters }) {
  const [form, setForm] = useState<Filters>(initial);
  const [filters, setFilters] = useState<Filters>(initial);
  const [page, setPage] = useState(1);
  const { data, loading, error } = useApiGet<ResponseOf<typeof admin.listAuditEvents>>(
    `/api/admin/audit-events${queryString({ ...filters, page, limit: LIMIT })}`,
  );
  const errors: FormErrors = error ? formErrorsFrom(error, ['userId', 'actorId', 'type']) : { fields: {} };

  function apply(event: FormEvent) {
    event.preventDefault();
    setPage(1);
    setFilters({ userId: form.userId.trim(), actorId: form.actorId.trim(), type: form.type });
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;

  return (
    <Card title="Events" description={data ? `${data.total} ${data.total === 1 ? 'event' : 'events'}` : undefined}>
      <form className={styles.filters} onSubmit={apply} aria-label="Filter events">
        <div className={styles.selectField}>
          <label htmlFor="audit-type">Type</label>
          <select id="audit-type" className={styles.select} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="">Any type</option>
            {[...new Set([...TYPES, ...(form.type ? [form.type] : [])])].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="User id"
          name="userId"
          value={form.userId}
          onChange={(e) => setForm({ ...form, userId: e.target.value })}
          error={errors.fields.userId}
          placeholder="any"
          autoComplete="off"
        />
        <Field
          label="Actor id"
          name="actorId"
          value={form.actorId}
          onChange={(e) => setForm({ ...form, actorId: e.target.value })}
          error={errors.fields.actorId}
          placeholder="any"
          autoComplete="off"
        />
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
      </form>
      <FormAlert>{errors.message}</FormAlert>
      {data === null ? (
        loading && (
          <p role="status" className="muted">
            <Spinner /> Loading events…
          </p>
        )
      ) : data.events.length === 0 ? (
        <EmptyState title="No events">Nothing matches these filters.</EmptyState>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} aria-label="Audit events">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">User</th>
                <th scope="col">Actor</th>
                <th scope="col">From</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-type={e.type}>
                  <td className={styles.nowrap}>{formatDateTime(e.createdAt)}</td>
                  <td>
                    <code>{e.type}</code>
                  </td>
                  <td>{shortId(e.userId)}</td>
                  <td>
                    {e.actorId === null ? (
                      <span className="muted">system</span>
                    ) : e.actorId === e.userId ? (
                      <span className="muted">self</span>
                    ) : (
                      shortId(e.actorId)
                    )}
                  </td>
                  <td>
                    <div className={styles.person}>
                      <span>{e.ip ?? '—'}</span>
                      {e.userAgent && (
                        <span className={`muted ${styles.ua}`} title={e.userAgent}>
                          {e.userAgent}
                        </span>
                      )}
                    </div>
                  </td>
                  <td>
                    <code className={styles.details}>{Object.keys(e.details).length ? JSON.stringify(e.details) : '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} busy={loading} onPage={setPage} previousLabel="← Newer" nextLabel="Older →" />
    </Card>
  );
}

function shortId(id: string | null) {
  if (!id) return <span className="muted">—</span>;
  return (
    <code title={id} className={styles.id}>
      {id.slice(0, 8)}
    </code>
  );
}
