import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getSessionUser } from '@/lib/session';
import { ConfirmEmailChange } from './ConfirmEmailChange';

export const metadata: Metadata = { title: 'Confirm your new email address', referrer: 'no-referrer' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link mailed to a new address: `/confirm-email-change?token=…`. The token is posted in a body, never sent on in a URL. */
export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const user = await getSessionUser();
  return (
    <AuthShell
      title="Confirm your new email address"
      footer={<Link href={user ? '/settings/profile' : '/login'}>{user ? 'Back to your profile' : 'Back to sign in'}</Link>}
    >
      <ConfirmEmailChange token={token} signedIn={user !== null} />
    </AuthShell>
  );
}
