'use client';
import { hasOrgPermission, type OrgRole } from '@portcullis/sdk';
import type { Membership } from '@portcullis/contract';
import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { FormAlert } from '@/components/FormAlert';
import { PageHeader } from '@/components/PageHeader';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { useOrganizations } from '@/components/useOrganizations';
import { OrgAudit } from './OrgAudit';
import { OrgInvitations } from './OrgInvitations';
import { OrgMembers } from './OrgMembers';
import { OrgProjects } from './OrgProjects';
import { OrgSettings } from './OrgSettings';

/**
 * One organization: its projects, members, invitations, settings and audit events. What is shown
 * follows the caller's role (a global admin who is not a member acts as an owner); the API checks every call.
 */
export function OrgDetail({ orgId, userId }: { orgId: string; userId: string }) {
  const { ready, user } = useAuth();
  const t = useT();
  const orgs = useOrganizations();
  const [membership, setMembership] = useState<Membership | null>(null);
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    await ready();
    setMembership(await orgs.get(orgId));
  }, [orgs, orgId, ready]);
  useEffect(() => void load().catch((err: unknown) => setError(formErrorsFrom(err, []).message)), [load]);

  if (error) return <FormAlert>{error}</FormAlert>;
  if (!membership) return <p role="status">{t('orgs.org.loading')}</p>;
  const role: OrgRole = membership.role ?? (user?.role === 'admin' ? 'owner' : 'member');
  const may = (p: Parameters<typeof hasOrgPermission>[1]) => hasOrgPermission(role, p);
  return (
    <div className="stack">
      <PageHeader
        eyebrow={t('orgs.org.eyebrow')}
        title={<span data-testid="org-name">{membership.organization.name}</span>}
        description={t('orgs.org.summary', {
          slug: membership.organization.slug,
          role: membership.role ?? t('orgs.org.globalAdmin'),
          count: membership.memberCount,
        })}
      />
      <OrgProjects orgId={orgId} canDelete={may('delete_projects')} />
      <OrgMembers orgId={orgId} userId={userId} role={role} onChanged={load} />
      {may('invite') && <OrgInvitations orgId={orgId} role={role} />}
      {may('manage_organization') && <OrgSettings membership={membership} onSaved={setMembership} />}
      {may('manage_members') && <OrgAudit orgId={orgId} />}
    </div>
  );
}
