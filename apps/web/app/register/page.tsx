import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getT } from '@/lib/i18n/server';
import { safeRedirect } from '@/lib/redirect';
import { RegisterForm } from './RegisterForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('register.metaTitle') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RegisterPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const t = await getT();
  const raw = Array.isArray(params.redirect) ? params.redirect[0] : params.redirect;
  const redirectTo = safeRedirect(raw);
  return (
    <AuthShell
      title={t('register.title')}
      subtitle={t('register.subtitle')}
      footer={
        <>
          {t('register.haveAccount')} <Link href={raw ? `/login?redirect=${encodeURIComponent(redirectTo)}` : '/login'}>{t('register.signIn')}</Link>
        </>
      }
    >
      <RegisterForm redirectTo={redirectTo} />
    </AuthShell>
  );
}
