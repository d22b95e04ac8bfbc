import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getT } from '@/lib/i18n/server';
import { getSessionUser } from '@/lib/session';
import { VerifyEmail } from './VerifyEmail';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('verify.title'), referrer: 'no-referrer' };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link from the verification mail: `/verify-email?token=…`. The token is posted in a body, never sent on in a URL. */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const user = await getSessionUser();
  const t = await getT();
  return (
    <AuthShell title={t('verify.title')} footer={<Link href={user ? '/dashboard' : '/login'}>{user ? t('status.backToDashboard') : t('forgot.back')}</Link>}>
      <VerifyEmail token={token} signedIn={user !== null} />
    </AuthShell>
  );
}
