'use client';
import type { AdminAccount } from '@portcullis/sdk';
import Link from 'next/link';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { Time } from '@/components/Time';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { EventLabel } from '../../audit/labels';
import styles from '../../admin.module.css';
import { ActionMenu, ConfirmAction, offeredActions, runAction, type AdminAction } from '../actions';
import { Methods, StatusBadge } from '../UsersAdmin';
import { Providers } from './Providers';

export function UserDetail({ userId, adminId }: { userId: string; adminId: string }) {
  const t = useT();
  const { client } = useAuth();
  const { data, loading, error: loadError, reload } = useApiGet<AdminAccount>(`/api/admin/accounts/${userId}`);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState<AdminAction | null>(null);
  const [working, setWorking] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const isSelf = userId === adminId;

  async function act(run: () => Promise<string>, after?: () => void) {
    setWorking(true);
    setError(undefined);
    try {
      setNotice(await run());
      setPending(null);
      after?.();
      if (!after) await reload();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setWorking(false);
    }
  }

  if (loadError && !deleted) return <FormAlert>{formErrorsFrom(loadError, []).message}</FormAlert>;
  if (!data)
    return loading ? (
      <p role="status" className="muted">
        <Spinner /> {t('admin.user.loading')}
      </p>
    ) : null;
  const { user } = data;
  return (
    <div className={styles.grid}>
      <Card title={user.displayName} description={user.email}>
        <p>
          <Link href="/admin/users">{t('admin.user.back')}</Link>
        </p>
        <FormAlert>{error}</FormAlert>
        <FormAlert tone="success">{notice}</FormAlert>
        {!deleted && (
          <>
            <dl className={styles.facts} data-testid="user-facts">
              <dt>{t('admin.col.status')}</dt>
              <dd>
                <StatusBadge user={user} t={t} />
                {user.lockedAt && (
                  <>
                    {' '}
                    {t('admin.user.lockedSince')} <Time iso={user.lockedAt} />
                    <br />
                    {t('admin.user.lockedReason', { reason: user.lockedReason ?? '' })}
                  </>
                )}
              </dd>
              <dt>{t('admin.user.role')}</dt>
              <dd>{t(`admin.role.${user.role}`)}</dd>
              <dt>{t('admin.user.email')}</dt>
              <dd>{user.emailVerified ? t('admin.verified') : t('admin.unverified')}</dd>
              <dt>{t('admin.user.twoStep')}</dt>
              <dd>{user.mfaEnabled ? t('admin.twoStepOn') : t('admin.twoStepOff')}</dd>
              <dt>{t('admin.user.methods')}</dt>
              <dd>
                <Methods user={user} t={t} />
              </dd>
              <dt>{t('admin.user.lastSignIn')}</dt>
              <dd>{user.lastSignInAt ? <Time iso={user.lastSignInAt} /> : t('admin.never')}</dd>
              <dt>{t('admin.user.joined')}</dt>
              <dd>
                <Time iso={user.createdAt} format="date" />
              </dd>
            </dl>
            <h3>{t('admin.user.actions')}</h3>
            {pending ? (
              <ConfirmAction
                user={user}
                action={pending}
                isSelf={isSelf}
                working={working}
                onCancel={() => setPending(null)}
                onConfirm={(input) =>
                  void act(() => runAction(client, t, user, pending, input), pending.kind === 'delete' ? () => setDeleted(true) : undefined)
                }
              />
            ) : (
              <ActionMenu user={user} disabled={working} actions={offeredActions(user, { isSelf, adminCount: data.adminCount })} onPick={setPending} />
            )}
          </>
        )}
      </Card>
      {!deleted && (
        <>
          <Card title={t('admin.user.sessions')}>
            {data.sessions.length === 0 ? (
              <p className="muted">{t('admin.user.sessionsEmpty')}</p>
            ) : (
              <ul className={styles.list} data-testid="user-sessions">
                {data.sessions.map((s) => (
                  <li key={s.id} className={styles.listItem}>
                    <span>
                      <strong>{s.device ?? t('admin.user.sessionDevice')}</strong> {s.ip && <span className="muted">{s.ip}</span>}
                      <br />
                      <span className="muted">
                        {t('admin.user.sessionStarted')} <Time iso={s.createdAt} /> · {t('admin.user.sessionActive')} <Time iso={s.lastActiveAt} format="ago" />
                      </span>
                    </span>
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={working}
                      onClick={() =>
                        void act(async () => {
                          await client.admin.revokeUserSession(user.id, s.id);
                          return t('admin.user.sessionRevoked');
                        })
                      }
                    >
                      {t('admin.user.revokeSession')}
                      <span className="visually-hidden"> {s.device ?? ''}</span>
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Providers data={data} working={working} act={(run) => void act(run)} />
          <Card title={t('admin.user.activity')}>
            {data.recentEvents.length === 0 ? (
              <p className="muted">{t('admin.user.activityEmpty')}</p>
            ) : (
              <ul className={styles.list} data-testid="user-activity">
                {data.recentEvents.map((e) => (
                  <li key={e.id} className={styles.listItem}>
                    <EventLabel type={e.type} />
                    <span className="muted">
                      <Time iso={e.createdAt} format="ago" />
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link href={`/admin/audit?userId=${user.id}`}>{t('admin.user.allActivity')}</Link>
            </p>
          </Card>
        </>
      )}
    </div>
  );
}
