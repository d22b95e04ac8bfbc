'use client';
import type { admin, ResponseOf } from '@portcullis/contract';
import type { Session } from '@portcullis/sdk';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Spinner } from '@/components/Spinner';
import { apiJson } from '@/lib/api';
import { formErrorsFrom } from '@/lib/form-errors';
import { formatDateTime, timeAgo } from '@/lib/format';
import styles from '../admin.module.css';

/** One user's live sessions (GET /api/admin/users/:id), shown under their row. */
export function UserSessions({ userId, version }: { userId: string; version: number }) {
  const { client, ready } = useAuth();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    void (async () => {
      try {
        await ready();
        const found = await apiJson<ResponseOf<typeof admin.getUser>>(client, 'GET', `/api/admin/users/${userId}`);
        if (!cancelled) setSessions(found.sessions);
      } catch (err) {
        if (!cancelled) setError(formErrorsFrom(err, []).message);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, ready, userId, version]);

  if (error) return <p role="alert">{error}</p>;
  if (sessions === null)
    return (
      <p role="status" className="muted">
        <Spinner /> Loading sessions…
      </p>
    );
  if (sessions.length === 0) return <p className="muted">Not signed in anywhere.</p>;
  return (
    <ul className={styles.sessions} aria-label="Sessions" data-testid="user-sessions">
      {sessions.map((s) => (
        <li key={s.id}>
          <strong>{s.device ?? 'Unknown device'}</strong> · {s.ip ?? 'unknown address'} · last active{' '}
          <span title={formatDateTime(s.lastActiveAt)}>{timeAgo(s.lastActiveAt)}</span> · signed in {formatDateTime(s.createdAt)}
        </li>
      ))}
    </ul>
  );
}
