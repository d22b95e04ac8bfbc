import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getSessionUser } from '@/lib/session';
import { VerifyEmail } from './VerifyEmail';

export const metadata: Metadata = { title: 'Verify your email', referrer: 'no-referrer' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link from the verification mail: `/verify-email?token=…`. The token is posted in a body, never sent on in a URL. */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const user = await getSessionUser();
  return (
    <AuthShell title="Verify your email" footer={<Link href={user ? '/dashboard' : '/login'}>{user ? 'Back to your dashboard' : 'Back to sign in'}</Link>}>
      <VerifyEmail token={token} signedIn={user !== null} />
    </AuthShell>
  );
}
