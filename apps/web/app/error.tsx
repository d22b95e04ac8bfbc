'use client';
import { useEffect } from 'react';
import { Button } from '@/components/Button';
import { StatusPage } from '@/components/StatusPage';

/** Unexpected failures while rendering a page. Shows no internals: the digest is enough for the logs. */
export default function ErrorPage({ error, retry }: { error: unknown; retry?: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <StatusPage
      code="Error"
      title="Something went wrong"
      actions={
        <>
          <Button onClick={() => (retry ? retry() : window.location.reload())}>Try again</Button>
          <Button variant="secondary" onClick={() => window.location.assign('/')}>
            Go home
          </Button>
        </>
      }
    >
      <p>An unexpected error stopped this page from loading. Trying again usually helps.</p>
      {digest && (
        <p className="muted" style={{ marginTop: '0.5rem', fontSize: '0.85rem' }}>
          Reference: <code>{digest}</code>
        </p>
      )}
    </StatusPage>
  );
}
