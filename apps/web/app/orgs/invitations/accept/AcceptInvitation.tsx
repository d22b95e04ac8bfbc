'use client';
import type { InvitationPreview } from '@portcullis/contract';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom } from '@/lib/form-errors';
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

/** Shows what the invitation is for; a signed-in person with the invited address accepts it, others sign in or sign up first. */
export function AcceptInvitation({ token }: { token: string }) {
  const { user, status } = useAuth();
  const orgs = useOrganizations();
  const [invitation, setInvitation] = useState<InvitationPreview | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    orgs.previewInvitation(token).then(setInvitation, (err: unknown) => setError(formErrorsFrom(err, []).message));
  }, [orgs, token]);

  async function accept() {
    setBusy(true);
    setError(undefined);
    try {
      const joined = await orgs.acceptInvitation(token);
      announceOrgsChanged();
      window.location.assign(`/orgs/${joined.organization.id}`);
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
      setBusy(false);
    }
  }

  const here = `/orgs/invitations/accept?token=${encodeURIComponent(token)}`;
  return (
    <div className="stack">
      <FormAlert>{error}</FormAlert>
      {invitation && (
        <p data-testid="invitation-summary">
          Join <strong>{invitation.organization.name}</strong> as {invitation.role}. The invitation is for {invitation.email}.
        </p>
      )}
      {invitation && status !== 'restoring' && user && (
        <Button onClick={accept} loading={busy}>
          Accept invitation
        </Button>
      )}
      {invitation && status === 'signed-out' && (
        <p>
          <Link href={`/login?redirect=${encodeURIComponent(here)}`}>Sign in</Link> or{' '}
          <Link href={`/register?redirect=${encodeURIComponent(here)}`}>create an account</Link> with {invitation.email} to accept.
        </p>
      )}
    </div>
  );
}
