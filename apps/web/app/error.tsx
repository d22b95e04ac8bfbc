'use client';
import { useEffect } from 'react';
import { Button } from '@/components/Button';
import { StatusPage } from '@/components/StatusPage';
import { useT } from '@/lib/i18n/client';

/** Unexpected failures while rendering a page. Shows no internals: the digest is enough for the logs. */
export default function ErrorPage({ error, retry }: { error: unknown; retry?: () => void }) {
  const t = useT();
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <StatusPage
      code={t('status.errorCode')}
      title={t('status.errorTitle')}
      actions={
        <>
          <Button onClick={() => (retry ? retry() : window.location.reload())}>{t('status.retry')}</Button>
          <Button variant="secondary" onClick={() => window.location.assign('/')}>
            {t('status.home')}
          </Button>
        </>
      }
    >
      <p>{t('status.errorBody')}</p>
      {digest && (
        <p className="muted" style={{ marginTop: '0.5rem', fontSize: '0.85rem' }}>
          {t('status.reference')} <code>{digest}</code>
        </p>
      )}
    </StatusPage>
  );
}
