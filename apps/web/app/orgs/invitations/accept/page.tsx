import type { Metadata } from 'next';
import { AuthShell } from '@/components/AuthShell';
import { AcceptInvitation } from './AcceptInvitation';

export const metadata: Metadata = { title: 'Join an organization' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link of an invitation mail: open signed out (sign in or sign up with the invited address, then back here) or signed in. */
export default async function AcceptInvitationPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = Array.isArray(params.token) ? params.token[0] : params.token;
  return (
    <AuthShell title="Join an organization" subtitle="You were invited by email.">
      <AcceptInvitation token={token ?? ''} />
    </AuthShell>
  );
}
