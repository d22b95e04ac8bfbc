'use client';
import type { admin, ResponseOf } from '@portcullis/contract';
import { ROLES, type Role, type User } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Pager } from '@/components/Pager';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { apiJson, queryString } from '@/lib/api';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom } from '@/lib/form-errors';
import { formatDate } from '@/lib/format';
import styles from '../admin.module.css';
import { UserSessions } from './UserSessions';

const LIMIT = 20;

/** An action waiting for the admin's confirmation. */
type Pending = { user: User; kind: 'role'; role: Role } | { user: User; kind: 'revoke' } | { user: User; kind: 'mfa' } | { user: User; kind: 'delete' };

export function UsersAdmin({ adminId, initialQuery }: { adminId: string; initialQuery: string }) {
  const { client } = useAuth();
  const [query, setQuery] = useState(initialQuery);
  const [search, setSearch] = useState(initialQuery);
  const [page, setPage] = useState(1);
  const {
    data,
    loading,
    error: loadError,
    reload: load,
  } = useApiGet<ResponseOf<typeof admin.listUsers>>(`/api/admin/users${queryString({ query: search, page, limit: LIMIT })}`);
  const [actionError, setError] = useState<string>();
  const error = actionError ?? (loadError ? formErrorsFrom(loadError, []).message : undefined);
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState<Pending | null>(null);
  const [working, setWorking] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  // The form is a plain GET form too (?query=), so a search submitted before the page is
  // hydrated still works; afterwards it reads what the field holds, typed before hydration or not.
  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get('query') ?? '').trim();
    setQuery(typed);
    setPage(1);
    setSearch(typed);
  }

  function ask(next: Pending) {
    setError(undefined);
    setNotice(undefined);
    setPending(next);
  }

  async function confirm() {
    if (!pending) return;
    setWorking(true);
    setError(undefined);
    const { user } = pending;
    try {
      if (pending.kind === 'role') {
        await apiJson(client, 'PATCH', `/api/admin/users/${user.id}`, { role: pending.role });
        setNotice(`${user.displayName} is now ${article(pending.role)} ${pending.role}.`);
      } else if (pending.kind === 'revoke') {
        await apiJson(client, 'POST', `/api/admin/users/${user.id}/sessions/revoke`);
        setNotice(`${user.displayName} has been signed out everywhere.`);
      } else if (pending.kind === 'mfa') {
        await apiJson(client, 'POST', `/api/admin/users/${user.id}/mfa/reset`);
        setNotice(`${user.displayName}’s two-step verification has been reset. They were signed out everywhere and told by email.`);
      } else {
        await apiJson(client, 'DELETE', `/api/admin/users/${user.id}`);
        setNotice(`${user.displayName}’s account has been deleted.`);
      }
      setPending(null);
      setVersion((v) => v + 1);
      await load();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setWorking(false);
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;

  return (
    <Card
      title="Accounts"
      description={data ? `${data.total} ${data.total === 1 ? 'account' : 'accounts'}${search ? ` matching “${search}”` : ''}` : undefined}
    >
      <form className={styles.filters} onSubmit={onSearch} role="search">
        <Field label="Search by email or name" name="query" value={query} onChange={(e) => setQuery(e.target.value)} maxLength={200} autoComplete="off" />
        <Button type="submit" variant="secondary" loading={loading && data !== null}>
          Search
        </Button>
      </form>
      <FormAlert>{error}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {data === null ? (
        loading && (
          <p role="status" className="muted">
            <Spinner /> Loading accounts…
          </p>
        )
      ) : data.users.length === 0 ? (
        <EmptyState title="No accounts found">Try another search.</EmptyState>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  isSelf={user.id === adminId}
                  pending={pending?.user.id === user.id ? pending : null}
                  working={working}
                  open={open === user.id}
                  version={version}
                  onToggle={() => setOpen(open === user.id ? null : user.id)}
                  onAsk={ask}
                  onConfirm={confirm}
                  onCancel={() => setPending(null)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} busy={loading} onPage={setPage} />
    </Card>
  );
}

interface RowProps {
  user: User;
  isSelf: boolean;
  pending: Pending | null;
  working: boolean;
  open: boolean;
  version: number;
  onToggle(): void;
  onAsk(p: Pending): void;
  onConfirm(): void;
  onCancel(): void;
}

function UserRow({ user, isSelf, pending, working, open, version, onToggle, onAsk, onConfirm, onCancel }: RowProps) {
  const [role, setRole] = useState<Role>(user.role);
  useEffect(() => setRole(user.role), [user.role]);
  return (
    <>
      <tr data-testid="user-row" data-email={user.email}>
        <td>
          <div className={styles.person}>
            <span className={styles.personName}>
              {user.displayName} {isSelf && <span className={styles.badge}>You</span>} {user.mfaEnabled && <span className={styles.badge}>Two-step</span>}
            </span>
            <span className="muted">{user.email}</span>
          </div>
        </td>
        <td>
          <div className={styles.roleCell}>
            <label className="visually-hidden" htmlFor={`role-${user.id}`}>
              Role of {user.displayName}
            </label>
            <select id={`role-${user.id}`} className={styles.select} value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={working}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            {role !== user.role && (
              <Button size="sm" onClick={() => onAsk({ user, kind: 'role', role })} disabled={working}>
                Change role
              </Button>
            )}
          </div>
        </td>
        <td className={styles.nowrap}>{formatDate(user.createdAt)}</td>
        <td>
          {pending ? (
            <div className={styles.confirm} role="group" aria-label="Confirm">
              <span>{confirmText(pending, isSelf)}</span>
              <Button size="sm" variant={pending.kind === 'role' ? 'primary' : 'danger'} loading={working} onClick={onConfirm}>
                Confirm
              </Button>
              <Button size="sm" variant="ghost" disabled={working} onClick={() => (onCancel(), setRole(user.role))}>
                Cancel
              </Button>
            </div>
          ) : (
            <div className={styles.rowActions}>
              <Button size="sm" variant="ghost" onClick={onToggle} aria-expanded={open} aria-label={`Sessions of ${user.email}`}>
                Sessions
              </Button>
              <Link href={`/admin/audit?userId=${user.id}`} className={styles.link}>
                Activity
              </Link>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => onAsk({ user, kind: 'revoke' })}
                disabled={working}
                aria-label={`Sign out ${user.email} everywhere`}
              >
                Sign out everywhere
              </Button>
              {/* Not for oneself: turning off one's own goes through the security page's re-authentication. */}
              {user.mfaEnabled && !isSelf && (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => onAsk({ user, kind: 'mfa' })}
                  disabled={working}
                  aria-label={`Reset two-step verification of ${user.email}`}
                >
                  Reset two-step
                </Button>
              )}
              <Button size="sm" variant="danger" onClick={() => onAsk({ user, kind: 'delete' })} disabled={working} aria-label={`Delete ${user.email}`}>
                Delete
              </Button>
            </div>
          )}
        </td>
      </tr>
      {open && (
        <tr className={styles.detailRow}>
          <td colSpan={4}>
            <UserSessions userId={user.id} version={version} />
          </td>
        </tr>
      )}
    </>
  );
}

function confirmText(pending: Pending, isSelf: boolean): string {
  const who = isSelf ? 'yourself' : pending.user.displayName;
  if (pending.kind === 'role') return `Make ${who} ${article(pending.role)} ${pending.role}? They are signed in again with the new role.`;
  if (pending.kind === 'revoke') return `Sign ${who} out on every device?`;
  if (pending.kind === 'mfa')
    return `Reset ${who}’s two-step verification? Their authenticator app and recovery codes stop working, and they are signed out everywhere.`;
  return `Delete ${pending.user.email} and all their projects? This cannot be undone.`;
}

const article = (role: string) => (role === 'admin' ? 'an' : 'a');
