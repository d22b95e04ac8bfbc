'use client';
import type { InvitationPreview } from '@portcullis/contract';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

/** Shows what the invitation is for; a signed-in person with the invited address accepts it, others sign in or sign up first. */
export function AcceptInvitation({ token }: { token: string }) {
  const { user, status } = useAuth();
  const t = useT();
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
          {rich(t('orgs.accept.summary'), { org: <strong>{invitation.organization.name}</strong>, role: invitation.role, email: invitation.email })}
        </p>
      )}
      {invitation && status !== 'restoring' && user && (
        <Button onClick={accept} loading={busy}>
          {t('orgs.accept.submit')}
        </Button>
      )}
      {invitation && status === 'signed-out' && (
        <p>
          {rich(t('orgs.accept.signInFirst'), {
            signIn: <Link href={`/login?redirect=${encodeURIComponent(here)}`}>{t('orgs.accept.signIn')}</Link>,
            register: <Link href={`/register?redirect=${encodeURIComponent(here)}`}>{t('orgs.accept.register')}</Link>,
            email: invitation.email,
          })}
        </p>
      )}
    </div>
  );
}
