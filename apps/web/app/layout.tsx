import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import type { CSSProperties, ReactNode } from 'react';
import { AuthProvider } from '@/components/AuthProvider';
import { Header } from '@/components/Header';
import { getBranding } from '@/lib/branding';
import { I18nProvider } from '@/lib/i18n/client';
import { getI18n } from '@/lib/i18n/server';
import { getSessionUser } from '@/lib/session';
import { THEME_COOKIE, type Theme } from '@/lib/theme';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { appName } = getBranding();
  const { t } = await getI18n();
  return { title: { default: appName, template: `%s · ${appName}` }, description: t('meta.description') };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Checked on the server for every request (proxy.ts), so the first HTML already knows the user.
  const user = await getSessionUser();
  const { locale, formatLocale, t } = await getI18n();
  const branding = getBranding();
  const chosen = (await cookies()).get(THEME_COOKIE)?.value;
  const theme: Theme = chosen === 'light' || chosen === 'dark' ? chosen : 'system';
  // The accent colour replaces the primary colour in both themes (validated as a hex colour).
  const style = branding.accentColor ? ({ '--brand-accent': branding.accentColor } as CSSProperties) : undefined;
  return (
    <html lang={locale} data-theme={theme === 'system' ? undefined : theme} data-brand={branding.accentColor ? '' : undefined} style={style}>
      <body>
        <a href="#main" className="skip-link">
          {t('layout.skip')}
        </a>
        <I18nProvider locale={locale} formatLocale={formatLocale} appName={branding.appName} logoUrl={branding.logoUrl}>
          <AuthProvider initialUser={user}>
            <Header theme={theme} />
            <main id="main">{children}</main>
          </AuthProvider>
          <footer className="container site-footer">{t('layout.footer')}</footer>
        </I18nProvider>
      </body>
    </html>
  );
}
