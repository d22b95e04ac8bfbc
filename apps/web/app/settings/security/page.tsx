import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/Card';
import { PageHeader } from '@/components/PageHeader';
import { requireUser } from '@/lib/session';
import { ChangePasswordForm } from './ChangePasswordForm';
import { LinkedProviders } from './LinkedProviders';
import { MfaSection } from './MfaSection';
import { PasskeysCard } from './PasskeysCard';
import { SessionsList } from './SessionsList';
import { SignOutEverywhere } from './SignOutEverywhere';

export const metadata: Metadata = { title: 'Security' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser('/settings/security');
  // Where a provider link flow comes back: ?linked=<provider> or ?error=<code>.
  const params = await searchParams;
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Settings"
        title="Security"
        description={
          <>
            Signed in as <strong>{user.displayName}</strong> ({user.email}). Change your name or delete your account on your{' '}
            <Link href="/settings/profile">profile</Link>. Keys for scripts and CLIs are under <Link href="/settings/api-keys">API keys</Link>.
          </>
        }
      />
      <div className="stack">
        <Card title="Where you’re signed in" description="Each device or browser that has signed in to your account. Revoke any you don’t recognise.">
          <SessionsList />
        </Card>
        <Card title="Change password" description="Changing your password signs you out everywhere else.">
          <ChangePasswordForm email={user.email} />
        </Card>
        <Card title="Sign-in providers" description="Accounts at other providers you can sign in with.">
          <LinkedProviders linked={first(params.linked)} error={first(params.error)} />
        </Card>
        <Card title="Passkeys" description="Sign in with your fingerprint, face or screen lock instead of a password.">
          <PasskeysCard mfaEnabled={user.mfaEnabled} />
        </Card>
        <Card title="Two-step verification" description="Ask for a code from an authenticator app at sign-in, as well as your password.">
          <MfaSection initiallyEnabled={user.mfaEnabled} email={user.email} />
        </Card>
        <Card tone="danger" title="Sign out everywhere" description="Ends every session of your account, including this one. Useful if you lost a device.">
          <SignOutEverywhere />
        </Card>
      </div>
    </div>
  );
}
