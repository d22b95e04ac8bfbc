'use client';
import './globals.css';
import { useT } from '@/lib/i18n/client';

/**
 * Last resort when the root layout itself fails: its own <html>, no providers, no data. Without
 * the layout's I18nProvider the catalogue answers in English (lib/i18n/client.tsx).
 */
export default function GlobalError({ retry }: { error: unknown; retry?: () => void }) {
  const t = useT();
  return (
    <html lang="en">
      <body>
        <main className="container" style={{ maxWidth: '32rem', paddingTop: '5rem', textAlign: 'center' }}>
          <h1>{t('status.errorTitle')}</h1>
          <p className="muted" style={{ marginTop: '0.75rem' }}>
            {t('status.globalBody')}
          </p>
          <p style={{ marginTop: '1.5rem' }}>
            <button
              type="button"
              onClick={() => (retry ? retry() : window.location.reload())}
              style={{ font: 'inherit', padding: '0.6rem 1.1rem', cursor: 'pointer' }}
            >
              {t('status.retry')}
            </button>
          </p>
        </main>
      </body>
    </html>
  );
}
