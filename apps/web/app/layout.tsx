import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AuthProvider } from '@/components/AuthProvider';
import { Header } from '@/components/Header';
import { getSessionUser } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Portcullis', template: '%s · Portcullis' },
  description: 'Open-source authentication and authorization.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Checked on the server for every request (proxy.ts), so the first HTML already knows the user.
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <AuthProvider initialUser={user}>
          <Header />
          <main id="main">{children}</main>
        </AuthProvider>
        <footer className="container" style={{ padding: '2rem 1.25rem', color: 'var(--color-text-subtle)', fontSize: '0.85rem' }}>
          Portcullis — open-source authentication.
        </footer>
      </body>
    </html>
  );
}
