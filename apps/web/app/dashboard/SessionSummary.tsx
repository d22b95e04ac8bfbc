'use client';
import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Spinner } from '@/components/Spinner';

/** How many devices are signed in: a small live API call, with a way to refresh it. */
export function SessionSummary() {
  const { client, ready } = useAuth();
  const [count, setCount] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(true);

  const load = useCallback(async () => {
    setBusy(true);
    setFailed(false);
    try {
      await ready();
      setCount((await client.sessions()).length);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }, [client, ready]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', alignItems: 'center', gap: '0.6rem', whiteSpace: 'nowrap' }} aria-live="polite">
      {busy && count === null ? (
        <>
          <Spinner /> <span className="muted">Loading…</span>
        </>
      ) : failed ? (
        <span data-testid="session-count-error">Could not load sessions.</span>
      ) : (
        <span data-testid="session-count">
          {count} active {count === 1 ? 'session' : 'sessions'}
        </span>
      )}
      <Button variant="ghost" size="sm" onClick={load} loading={busy && count !== null} data-testid="refresh-sessions">
        Refresh
      </Button>
    </span>
  );
}
