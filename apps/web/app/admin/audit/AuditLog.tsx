'use client';
import type { AuditEntry, AuditLogPage } from '@portcullis/sdk';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Pager } from '@/components/Pager';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { Time } from '@/components/Time';
import { queryString } from '@/lib/api';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { AUDIT_EVENT_TYPES as TYPES } from '@/lib/auditTypes';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import styles from '../admin.module.css';
import { Details, eventLabel } from './labels';

/** What the form holds: dates as the date inputs give them (yyyy-mm-dd, the viewer's own days). */
export interface AuditFilters {
  person: string;
  userId: string;
  type: string;
  from: string;
  to: string;
}

const LIMIT = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day in the viewer's time zone as the instant it starts; `next` gives the following day's start (an inclusive "to"). */
function dayStart(day: string, next = false): string | undefined {
  if (!DAY.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d + (next ? 1 : 0));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function AuditLog({ initial }: { initial: AuditFilters }) {
  const t = useT();
  const { client } = useAuth();
  const [form, setForm] = useState<AuditFilters>(initial);
  const [filters, setFilters] = useState<AuditFilters>(initial);
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const query = { person: filters.person, userId: filters.userId, type: filters.type, from: dayStart(filters.from), to: dayStart(filters.to, true) };
  const { data, loading, error } = useApiGet<AuditLogPage>(`/api/admin/audit-log${queryString({ ...query, page, limit: LIMIT })}`);
  const errors: FormErrors = error ? formErrorsFrom(error, ['person', 'type', 'from', 'to']) : { fields: {} };

  function apply(event: FormEvent) {
    event.preventDefault();
    setPage(1);
    setFilters({ ...form, person: form.person.trim() });
  }

  function clear() {
    const none = { person: '', userId: '', type: '', from: '', to: '' };
    setForm(none);
    setFilters(none);
    setPage(1);
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(undefined);
    try {
      const res = await client.admin.exportAuditLog(query);
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'audit-log.csv';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(formErrorsFrom(err, []).message);
    } finally {
      setExporting(false);
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;
  const count = data && !error ? (data.total === 1 ? t('admin.audit.countOne') : t('admin.audit.count', { count: data.total })) : undefined;

  return (
    <Card title={t('admin.audit.card')} description={count}>
      <form className={styles.filters} onSubmit={apply} aria-label={t('admin.audit.filters')}>
        <Field
          label={t('admin.audit.person')}
          name="person"
          type="search"
          value={form.person}
          onChange={(e) => setForm({ ...form, person: e.target.value })}
          error={errors.fields.person}
          maxLength={200}
          autoComplete="off"
        />
        <div className={styles.selectField}>
          <label htmlFor="audit-type">{t('admin.audit.type')}</label>
          <select id="audit-type" className={styles.select} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="">{t('admin.audit.anyType')}</option>
            {[...new Set([...TYPES, ...(form.type ? [form.type] : [])])].map((type) => (
              <option key={type} value={type}>
                {eventLabel(t, type)}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={t('admin.audit.from')}
          name="from"
          type="date"
          value={form.from}
          onChange={(e) => setForm({ ...form, from: e.target.value })}
          error={errors.fields.from}
        />
        <Field
          label={t('admin.audit.to')}
          name="to"
          type="date"
          value={form.to}
          onChange={(e) => setForm({ ...form, to: e.target.value })}
          error={errors.fields.to}
        />
        <Button type="submit" variant="secondary">
          {t('admin.audit.apply')}
        </Button>
        <Button variant="ghost" onClick={clear}>
          {t('admin.audit.clear')}
        </Button>
        <Button variant="secondary" loading={exporting} loadingText={t('admin.audit.exporting')} onClick={() => void exportCsv()} disabled={Boolean(error)}>
          {t('admin.audit.export')}
        </Button>
      </form>
      {filters.userId && (
        <p className="muted">
          {t('admin.audit.userFilter')}{' '}
          <Button size="sm" variant="ghost" onClick={() => (setForm({ ...form, userId: '' }), setFilters({ ...filters, userId: '' }), setPage(1))}>
            {t('admin.audit.showAll')}
          </Button>
        </p>
      )}
      <FormAlert>{errors.message ?? exportError}</FormAlert>
      {/* A failed load shows its error alone: rows of an earlier answer are not left under it. */}
      {error ? null : data === null ? (
        loading && (
          <p role="status" className="muted">
            <Spinner /> {t('admin.audit.loading')}
          </p>
        )
      ) : data.events.length === 0 ? (
        <EmptyState title={t('admin.audit.empty')}>{t('admin.audit.emptyHint')}</EmptyState>
      ) : (
        <div className={styles.tableWrap}>
          <table className={`${styles.table} ${styles.cards}`} aria-label={t('admin.audit.table')}>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.when')}</th>
                <th scope="col">{t('admin.audit.event')}</th>
                <th scope="col">{t('admin.audit.user')}</th>
                <th scope="col">{t('admin.audit.actor')}</th>
                <th scope="col">{t('admin.audit.from.col')}</th>
                <th scope="col">{t('admin.audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-type={e.type}>
                  <td data-label={t('admin.audit.when')} className={styles.nowrap}>
                    <Time iso={e.createdAt} />
                  </td>
                  <td data-label={t('admin.audit.event')}>
                    <span className={styles.person}>
                      <span className={styles.personName}>{eventLabel(t, e.type)}</span>
                      <code className={styles.id}>{e.type}</code>
                    </span>
                  </td>
                  <td data-label={t('admin.audit.user')}>
                    <Person t={t} id={e.userId} person={e.user} />
                  </td>
                  <td data-label={t('admin.audit.actor')}>
                    {e.actorId === null ? (
                      <span className="muted">{t('admin.audit.system')}</span>
                    ) : e.actorId === e.userId ? (
                      <span className="muted">{t('admin.audit.self')}</span>
                    ) : (
                      <Person t={t} id={e.actorId} person={e.actor} />
                    )}
                  </td>
                  <td data-label={t('admin.audit.from.col')}>
                    <span className={styles.person}>
                      <span>{e.ip ?? '—'}</span>
                      {e.userAgent && (
                        <span className={`muted ${styles.ua}`} title={e.userAgent}>
                          {e.userAgent}
                        </span>
                      )}
                    </span>
                  </td>
                  <td data-label={t('admin.audit.details')}>
                    <Details details={e.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} busy={loading} onPage={setPage} previousLabel={t('admin.audit.newer')} nextLabel={t('admin.audit.older')} />
    </Card>
  );
}

function Person({ t, id, person }: { t: Translate; id: string | null; person: AuditEntry['user'] }) {
  if (!id) return <span className="muted">—</span>;
  if (!person)
    return (
      <span className="muted" title={id}>
        {t('admin.audit.deleted')}
      </span>
    );
  return (
    <span className={styles.person}>
      <Link href={`/admin/users/${person.id}`} className={styles.personName}>
        {person.displayName}
      </Link>
      <span className="muted">{person.email}</span>
    </span>
  );
}
