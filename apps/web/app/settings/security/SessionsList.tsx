'use client';
import type { Session } from '@portcullis/sdk';
import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { EmptyState } from '@/components/EmptyState';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import type { Translate } from '@/lib/i18n/core';
import { rich } from '@/lib/i18n/rich';
import { Time } from '@/components/Time';
import styles from './security.module.css';

/** The live sessions of the account, newest activity first, each with a revoke button. */
export function SessionsList() {
  const { client, ready, signOut } = useAuth();
  const t = useT();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [revoking, setRevoking] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      await ready();
      const list = await client.sessions();
      list.sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt.localeCompare(a.lastActiveAt));
      setSessions(list);
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setLoading(false);
    }
  }, [client, ready]);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(session: Session) {
    setRevoking(session.id);
    setError(undefined);
    setNotice(undefined);
    try {
      if (session.current) return await signOut(); // revoking this device is signing out
      await client.revokeSession(session.id);
      setSessions((list) => list?.filter((s) => s.id !== session.id) ?? null);
      setNotice(t('security.sessionEnded', { session: describe(session, t) }));
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    } finally {
      setRevoking(null);
    }
  }

  return (
    <div className={styles.sessions}>
      <FormAlert>{error}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {sessions === null ? (
        loading && (
          <p className={styles.loading} role="status">
            <Spinner /> {t('security.sessionsLoading')}
          </p>
        )
      ) : sessions.length === 0 ? (
        <EmptyState title={t('security.sessionsEmptyTitle')}>{t('security.sessionsEmpty')}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t('security.sessionsList')}>
          {sessions.map((session) => (
            <li key={session.id} className={styles.item} data-testid="session-row" data-current={session.current || undefined}>
              <span className={styles.deviceIcon} aria-hidden="true">
                <DeviceIcon kind={deviceKind(session)} />
              </span>
              <div className={styles.meta}>
                <p className={styles.device}>
                  {session.device ?? t('security.unknownDevice')}
                  {session.current && <span className={styles.current}>{t('security.thisDevice')}</span>}
                </p>
                <p className={styles.details}>
                  <span>{session.ip ?? t('security.unknownAddress')}</span>
                  <span aria-hidden="true"> · </span>
                  <span>
                    {rich(t('security.lastActive'), { when: session.current ? t('security.now') : <Time iso={session.lastActiveAt} format="ago" /> })}
                  </span>
                  <span aria-hidden="true"> · </span>
                  <span>{rich(t('security.signedIn'), { when: <Time iso={session.createdAt} /> })}</span>
                </p>
              </div>
              <Button
                variant={session.current ? 'secondary' : 'danger'}
                size="sm"
                loading={revoking === session.id}
                disabled={revoking !== null}
                onClick={() => revoke(session)}
                aria-label={session.current ? t('security.signOutThis') : t('security.revokeSession', { session: describe(session, t) })}
              >
                {session.current ? t('header.signOut') : t('settings.revoke')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div>
        <Button variant="ghost" size="sm" onClick={load} loading={loading && sessions !== null} data-testid="reload-sessions">
          {t('security.refreshList')}
        </Button>
      </div>
    </div>
  );
}

/** "Firefox on macOS at 192.0.2.1": the words of the notice and of the revoke button's label. */
function describe(session: Session, t: Translate): string {
  const device = session.device ?? t('security.someDevice');
  return session.ip ? t('security.sessionAt', { device, ip: session.ip }) : device;
}

type DeviceKind = 'phone' | 'terminal' | 'computer';

function deviceKind(session: Session): DeviceKind {
  const device = `${session.device ?? ''} ${session.userAgent ?? ''}`.toLowerCase();
  if (/iphone|android|mobile|ipad|ios/.test(device)) return 'phone';
  if (/curl|cli|node|undici|python|go-http/.test(device)) return 'terminal';
  return 'computer';
}

/** Line icons as inline SVG: no icon font, no emoji (which some systems cannot draw). */
function DeviceIcon({ kind }: { kind: DeviceKind }) {
  const paths: Record<DeviceKind, string> = {
    computer: 'M4 5h16v10H4zM2 19h20M9 15v4M15 15v4',
    phone: 'M8 2h8a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zM11 18h2',
    terminal: 'M3 4h18v16H3zM7 9l3 3-3 3M12 15h5',
  };
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
      <path d={paths[kind]} />
    </svg>
  );
}
