import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getT } from '@/lib/i18n/server';
import { ResetPasswordForm } from './ResetPasswordForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('reset.title'), referrer: 'no-referrer' };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link from the reset mail: `/reset-password?token=…`. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const t = await getT();
  return (
    <AuthShell title={t('reset.title')} subtitle={t('reset.subtitle')} footer={<Link href="/login">{t('reset.backToSignIn')}</Link>}>
      <ResetPasswordForm token={token} />
    </AuthShell>
  );
}
