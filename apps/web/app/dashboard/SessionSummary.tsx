'use client';
import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Spinner } from '@/components/Spinner';
import { useT } from '@/lib/i18n/client';

/** How many devices are signed in: a small live API call, with a way to refresh it. */
export function SessionSummary() {
  const { client, ready } = useAuth();
  const t = useT();
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
          <Spinner /> <span className="muted">{t('dashboard.loading')}</span>
        </>
      ) : failed ? (
        <span data-testid="session-count-error">{t('dashboard.sessionsFailed')}</span>
      ) : (
        <span data-testid="session-count">{t(count === 1 ? 'dashboard.sessionsOne' : 'dashboard.sessionsMany', { count: count ?? 0 })}</span>
      )}
      <Button variant="ghost" size="sm" onClick={load} loading={busy && count !== null} data-testid="refresh-sessions">
        {t('dashboard.refresh')}
      </Button>
    </span>
  );
}
