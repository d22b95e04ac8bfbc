'use client';
// What an admin can do to one account, offered the same way on the users table and the user page:
// one menu of actions, then a confirmation (with a reason for a lock). Only actions the server
// would accept are offered: no demotion or deletion of the last admin, no lock or two-step reset
// of oneself, the invitation resent only while it is pending.
import { grantsMore, ROLES, type AdminUser, type AuthClient, type Role } from '@portcullis/sdk';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/Button';
import { FRESH_SIGN_IN_MINUTES } from '@/lib/reauthentication';
import { apiJson } from '@/lib/api';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import styles from '../admin.module.css';

export type AdminAction =
  | { kind: 'role'; role: Role }
  | { kind: 'revoke' }
  | { kind: 'resetPassword' }
  | { kind: 'resendInvite' }
  | { kind: 'resetMfa' }
  | { kind: 'lock' }
  | { kind: 'unlock' }
  | { kind: 'delete' };

export interface ActionContext {
  isSelf: boolean;
  adminCount: number;
}

export function offeredActions(user: AdminUser, { isSelf, adminCount }: ActionContext): AdminAction[] {
  const lastAdmin = user.role === 'admin' && adminCount <= 1;
  const actions: AdminAction[] = [];
  if (!lastAdmin) for (const role of ROLES) if (role !== user.role) actions.push({ kind: 'role', role });
  actions.push({ kind: 'revoke' });
  // An invitation not yet accepted (no way to sign in): its mail again, not a reset link.
  if (user.signInMethods.length === 0) actions.push({ kind: 'resendInvite' });
  else actions.push({ kind: 'resetPassword' });
  if (user.mfaEnabled && !isSelf) actions.push({ kind: 'resetMfa' });
  if (user.lockedAt) actions.push({ kind: 'unlock' });
  else if (!isSelf) actions.push({ kind: 'lock' });
  if (!lastAdmin) actions.push({ kind: 'delete' });
  return actions;
}

export function actionLabel(t: Translate, action: AdminAction): string {
  if (action.kind === 'role') return t('admin.action.makeRole', { role: t(`admin.roleName.${action.role}`) });
  return t(`admin.action.${action.kind}`);
}

export function confirmText(t: Translate, user: AdminUser, action: AdminAction, isSelf: boolean): string {
  const name = isSelf ? t('admin.you') : user.displayName;
  if (action.kind === 'role') return t('admin.confirm.role', { name, role: t(`admin.roleName.${action.role}`) });
  return t(`admin.confirm.${action.kind}`, { name, email: user.email });
}

/** What the confirmation asked for: a lock's reason; the admin's password for more rights (optional within minutes of signing in). */
export interface ConfirmInput {
  reason: string;
  password: string;
}

/** A role with more rights outlives the admin's access token: the API wants a recent sign-in or the password. */
const asksPassword = (user: AdminUser, action: AdminAction) => action.kind === 'role' && grantsMore(user.role, action.role);

/** Runs the action; answers the sentence to show once it is done. */
export async function runAction(client: AuthClient, t: Translate, user: AdminUser, action: AdminAction, { reason, password }: ConfirmInput): Promise<string> {
  const vars = { name: user.displayName, email: user.email };
  const path = `/api/admin/users/${user.id}`;
  switch (action.kind) {
    case 'role':
      await client.admin.changeRole(user.id, { role: action.role, ...(password && { password }) });
      return t('admin.done.role', { ...vars, role: t(`admin.roleName.${action.role}`) });
    case 'revoke':
      await apiJson(client, 'POST', `${path}/sessions/revoke`);
      break;
    case 'resetPassword':
      await client.admin.sendPasswordReset(user.id);
      break;
    case 'resendInvite':
      await apiJson(client, 'POST', `${path}/invitation`, {});
      break;
    case 'resetMfa':
      await apiJson(client, 'POST', `${path}/mfa/reset`);
      break;
    case 'lock':
      await client.admin.lockUser(user.id, reason);
      break;
    case 'unlock':
      await client.admin.unlockUser(user.id);
      break;
    case 'delete':
      await apiJson(client, 'DELETE', path);
      break;
  }
  return t(`admin.done.${action.kind}`, vars);
}

/** The one row menu: a disclosure button ("Actions", with whose in hidden text) and the offered actions. */
export function ActionMenu({
  user,
  actions,
  disabled,
  showOpen,
  onPick,
}: {
  user: AdminUser;
  actions: AdminAction[];
  disabled?: boolean;
  showOpen?: boolean;
  onPick(action: AdminAction): void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('pointerdown', close);
    };
  }, [open]);
  return (
    <div className={styles.menu} ref={root}>
      <Button size="sm" variant="secondary" aria-expanded={open} aria-controls={id} disabled={disabled} onClick={() => setOpen(!open)}>
        {t('admin.menu.button')} <span className="visually-hidden">{t('admin.menu.for', { email: user.email })}</span>
      </Button>
      <ul id={id} className={styles.menuList} hidden={!open}>
        {showOpen && (
          <li>
            <Link href={`/admin/users/${user.id}`} className={styles.menuItem}>
              {t('admin.action.open')}
            </Link>
          </li>
        )}
        {actions.map((action) => (
          <li key={action.kind === 'role' ? `role-${action.role}` : action.kind}>
            <button
              type="button"
              className={action.kind === 'delete' || action.kind === 'lock' ? `${styles.menuItem} ${styles.danger}` : styles.menuItem}
              onClick={() => {
                setOpen(false);
                onPick(action);
              }}
            >
              {actionLabel(t, action)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The confirmation of a picked action; a lock asks for its reason here. */
export function ConfirmAction({
  user,
  action,
  isSelf,
  working,
  onConfirm,
  onCancel,
}: {
  user: AdminUser;
  action: AdminAction;
  isSelf: boolean;
  working: boolean;
  onConfirm(input: ConfirmInput): void;
  onCancel(): void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const id = useId();
  const danger = action.kind === 'delete' || action.kind === 'lock' || action.kind === 'resetMfa';
  return (
    <form
      className={styles.confirm}
      aria-label={t('admin.confirm.group')}
      onSubmit={(event) => {
        event.preventDefault();
        if (action.kind === 'lock' && !reason.trim()) return setMissing(true);
        onConfirm({ reason: reason.trim(), password });
      }}
    >
      <span>{confirmText(t, user, action, isSelf)}</span>
      {action.kind === 'lock' && (
        <span className={styles.reason}>
          <label htmlFor={id}>{t('admin.lock.reason')}</label>
          <input
            id={id}
            className={styles.select}
            value={reason}
            maxLength={500}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? `${id}-error` : undefined}
            onChange={(e) => (setReason(e.target.value), setMissing(false))}
          />
          {missing && (
            <span id={`${id}-error`} className={styles.error}>
              {t('admin.lock.reasonMissing')}
            </span>
          )}
        </span>
      )}
      {asksPassword(user, action) && (
        <span className={styles.reason}>
          <label htmlFor={`${id}-password`}>{t('fresh.yourPassword')}</label>
          <input
            id={`${id}-password`}
            className={styles.select}
            type="password"
            autoComplete="current-password"
            value={password}
            aria-describedby={`${id}-password-hint`}
            onChange={(e) => setPassword(e.target.value)}
          />
          <span id={`${id}-password-hint`} className="muted">
            {t('fresh.notNeeded', { minutes: FRESH_SIGN_IN_MINUTES })}
          </span>
        </span>
      )}
      <Button type="submit" size="sm" variant={danger ? 'danger' : 'primary'} loading={working}>
        {t('admin.confirm.ok')}
      </Button>
      <Button size="sm" variant="ghost" disabled={working} onClick={onCancel}>
        {t('admin.confirm.cancel')}
      </Button>
    </form>
  );
}
