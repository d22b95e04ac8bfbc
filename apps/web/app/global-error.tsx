'use client';
import './globals.css';

/** Last resort when the root layout itself fails: its own <html>, no providers, no data. */
export default function GlobalError({ retry }: { error: unknown; retry?: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="container" style={{ maxWidth: '32rem', paddingTop: '5rem', textAlign: 'center' }}>
          <h1>Something went wrong</h1>
          <p className="muted" style={{ marginTop: '0.75rem' }}>
            Portcullis could not load this page. Please try again in a moment.
          </p>
          <p style={{ marginTop: '1.5rem' }}>
            <button
              type="button"
              onClick={() => (retry ? retry() : window.location.reload())}
              style={{ font: 'inherit', padding: '0.6rem 1.1rem', cursor: 'pointer' }}
            >
              Try again
            </button>
          </p>
        </main>
      </body>
    </html>
  );
}
