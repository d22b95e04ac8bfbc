import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/Card';
import { PageHeader } from '@/components/PageHeader';
import { requireUser } from '@/lib/session';
import { ChangeEmail } from './ChangeEmail';
import { DeleteAccount } from './DeleteAccount';
import { ProfileForm } from './ProfileForm';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await requireUser('/settings/profile');
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Settings"
        title="Profile"
        description={
          <>
            Signed in as <strong>{user.displayName}</strong> ({user.email}). Password, sessions and two-step verification are in{' '}
            <Link href="/settings/security">security settings</Link>.
          </>
        }
      />
      <div className="stack">
        <Card title="Your name" description="How Portcullis greets you and how you appear to admins.">
          <ProfileForm initialName={user.displayName} />
        </Card>
        <Card title="Email address" description="The address you sign in with, and where we send mail about your account.">
          <ChangeEmail email={user.email} />
        </Card>
        <Card tone="danger" title="Delete account" description="Deletes your account, your projects and every session, for good. This cannot be undone.">
          <DeleteAccount email={user.email} mfaEnabled={user.mfaEnabled} />
        </Card>
      </div>
    </div>
  );
}
