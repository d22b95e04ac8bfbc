import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getT } from '@/lib/i18n/server';
import { getSessionUser } from '@/lib/session';
import { ConfirmEmailChange } from './ConfirmEmailChange';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('verify.confirmTitle'), referrer: 'no-referrer' };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link mailed to a new address: `/confirm-email-change?token=…`. The token is posted in a body, never sent on in a URL. */
export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const user = await getSessionUser();
  const t = await getT();
  return (
    <AuthShell
      title={t('verify.confirmTitle')}
      footer={<Link href={user ? '/settings/profile' : '/login'}>{user ? t('verify.backToProfile') : t('forgot.back')}</Link>}
    >
      <ConfirmEmailChange token={token} signedIn={user !== null} />
    </AuthShell>
  );
}
