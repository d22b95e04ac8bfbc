'use client';
import type { AdminAccountList, AdminUser } from '@portcullis/sdk';
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
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import styles from '../admin.module.css';
import { ActionMenu, ConfirmAction, offeredActions, runAction, type AdminAction, type ConfirmInput } from './actions';
import { InviteForm } from './InviteForm';

const LIMIT = 20;
type Status = '' | 'locked' | 'invited';

/** The users table: status columns and one menu per row; on a phone each row is a card (admin.module.css `.cards`). */
export function UsersAdmin({ adminId, initialQuery }: { adminId: string; initialQuery: string }) {
  const t = useT();
  const { client } = useAuth();
  const [query, setQuery] = useState(initialQuery);
  const [search, setSearch] = useState(initialQuery);
  const [status, setStatus] = useState<Status>('');
  const [page, setPage] = useState(1);
  const {
    data,
    loading,
    error: loadError,
    reload,
  } = useApiGet<AdminAccountList>(`/api/admin/accounts${queryString({ query: search, status, page, limit: LIMIT })}`);
  const [actionError, setError] = useState<string>();
  const error = actionError ?? (loadError ? formErrorsFrom(loadError, []).message : undefined);
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState<{ user: AdminUser; action: AdminAction } | null>(null);
  const [working, setWorking] = useState(false);

  // The form is a plain GET form too (?query=), so a search submitted before hydration still works.
  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get('query') ?? '').trim();
    setQuery(typed);
    setPage(1);
    setSearch(typed);
  }

  async function confirm(input: ConfirmInput) {
    if (!pending) return;
    setWorking(true);
    setError(undefined);
    try {
      setNotice(await runAction(client, t, pending.user, pending.action, input));
      setPending(null);
      await reload();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setWorking(false);
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;
  const count = data ? (data.total === 1 ? t('admin.users.countOne') : t('admin.users.count', { count: data.total })) : undefined;

  return (
    <Card title={t('admin.users.card')} description={count && search ? t('admin.users.matching', { count: count, query: search }) : count}>
      <div className={styles.toolbar}>
        <form className={styles.filters} onSubmit={onSearch} role="search">
          <Field label={t('admin.users.search')} name="query" value={query} onChange={(e) => setQuery(e.target.value)} maxLength={200} autoComplete="off" />
          <div className={styles.selectField}>
            <label htmlFor="user-status">{t('admin.users.status')}</label>
            <select id="user-status" className={styles.select} value={status} onChange={(e) => (setStatus(e.target.value as Status), setPage(1))}>
              <option value="">{t('admin.users.status.all')}</option>
              <option value="locked">{t('admin.users.status.locked')}</option>
              <option value="invited">{t('admin.users.status.invited')}</option>
            </select>
          </div>
          <Button type="submit" variant="secondary" loading={loading && data !== null}>
            {t('admin.users.searchButton')}
          </Button>
        </form>
        <InviteForm
          onInvited={(email) => {
            setError(undefined);
            setNotice(t('admin.invite.done', { email }));
            void reload();
          }}
        />
      </div>
      <FormAlert>{error}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {/* A failed load shows its error alone: the rows of an older answer are not left under it. */}
      {loadError ? null : data === null ? (
        loading && (
          <p role="status" className="muted">
            <Spinner /> {t('admin.users.loading')}
          </p>
        )
      ) : data.users.length === 0 ? (
        <EmptyState title={t('admin.users.empty')}>{t('admin.users.emptyHint')}</EmptyState>
      ) : (
        <div className={styles.tableWrap}>
          <table className={`${styles.table} ${styles.cards}`}>
            <thead>
              <tr>
                <th scope="col">{t('admin.col.person')}</th>
                <th scope="col">{t('admin.col.role')}</th>
                <th scope="col">{t('admin.col.status')}</th>
                <th scope="col">{t('admin.col.verified')}</th>
                <th scope="col">{t('admin.col.twoStep')}</th>
                <th scope="col">{t('admin.col.lastSignIn')}</th>
                <th scope="col">{t('admin.col.methods')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((user) => {
                const isSelf = user.id === adminId;
                const mine = pending?.user.id === user.id ? pending : null;
                return (
                  <tr key={user.id} data-testid="user-row" data-email={user.email}>
                    <td>
                      <div className={styles.person}>
                        <span className={styles.personName}>
                          <Link href={`/admin/users/${user.id}`}>{user.displayName}</Link> {isSelf && <span className={styles.badge}>{t('admin.you')}</span>}
                        </span>
                        <span className="muted">{user.email}</span>
                      </div>
                    </td>
                    <td data-label={t('admin.col.role')}>{t(`admin.role.${user.role}`)}</td>
                    <td data-label={t('admin.col.status')}>
                      <StatusBadge user={user} t={t} />
                    </td>
                    <td data-label={t('admin.col.verified')}>{user.emailVerified ? t('admin.verified') : t('admin.unverified')}</td>
                    <td data-label={t('admin.col.twoStep')}>{user.mfaEnabled ? t('admin.twoStepOn') : t('admin.twoStepOff')}</td>
                    <td data-label={t('admin.col.lastSignIn')} className={styles.nowrap}>
                      {user.lastSignInAt ? <Time iso={user.lastSignInAt} format="ago" /> : t('admin.never')}
                    </td>
                    <td data-label={t('admin.col.methods')}>
                      <Methods user={user} t={t} />
                    </td>
                    <td>
                      {mine ? (
                        <ConfirmAction
                          user={user}
                          action={mine.action}
                          isSelf={isSelf}
                          working={working}
                          onConfirm={(input) => void confirm(input)}
                          onCancel={() => setPending(null)}
                        />
                      ) : (
                        <div className={styles.rowActions}>
                          <ActionMenu
                            user={user}
                            showOpen
                            disabled={working}
                            actions={offeredActions(user, { isSelf, adminCount: data.adminCount })}
                            onPick={(action) => {
                              setError(undefined);
                              setNotice(undefined);
                              setPending({ user, action });
                            }}
                          />
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} busy={loading} onPage={setPage} />
    </Card>
  );
}

export function StatusBadge({ user, t }: { user: AdminUser; t: Translate }) {
  if (user.lockedAt) return <span className={styles.statusLocked}>{t('admin.status.locked')}</span>;
  if (user.signInMethods.length === 0) return <span className={styles.badge}>{t('admin.status.invited')}</span>;
  return <span>{t('admin.status.active')}</span>;
}

export function Methods({ user, t }: { user: AdminUser; t: Translate }) {
  if (user.signInMethods.length === 0) return <span className="muted">{t('admin.method.none')}</span>;
  return (
    <span className={styles.methods}>
      {user.signInMethods.map((m) => (
        <span key={m} className={styles.badge}>
          {t(`admin.method.${m}`)}
        </span>
      ))}
    </span>
  );
}
