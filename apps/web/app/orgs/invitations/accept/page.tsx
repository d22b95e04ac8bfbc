import type { Metadata } from 'next';
import { AuthShell } from '@/components/AuthShell';
import { getT } from '@/lib/i18n/server';
import { AcceptInvitation } from './AcceptInvitation';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('orgs.accept.title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link of an invitation mail: open signed out (sign in or sign up with the invited address, then back here) or signed in. */
export default async function AcceptInvitationPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const t = await getT();
  const token = Array.isArray(params.token) ? params.token[0] : params.token;
  return (
    <AuthShell title={t('orgs.accept.title')} subtitle={t('orgs.accept.subtitle')}>
      <AcceptInvitation token={token ?? ''} />
    </AuthShell>
  );
}
