'use client';
import { ORG_ROLES, orgRoleAtMost, hasOrgPermission, type OrgRole } from '@portcullis/sdk';
import type { organizations, ResponseOf } from '@portcullis/contract';
import { useState } from 'react';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { FormAlert } from '@/components/FormAlert';
import { useApiGet } from '@/components/useApiGet';
import { formErrorsFrom } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { useOrganizations } from '@/components/useOrganizations';
import { announceOrgsChanged } from '@/lib/orgs';

type Page = ResponseOf<typeof organizations.listMembers>;

/** Members and their roles: change a role, remove, leave, transfer ownership (the API enforces each rule). */
export function OrgMembers({ orgId, userId, role, onChanged }: { orgId: string; userId: string; role: OrgRole; onChanged(): Promise<void> }) {
  const t = useT();
  const orgs = useOrganizations();
  const { data, reload } = useApiGet<Page>(`/api/orgs/${encodeURIComponent(orgId)}/members?limit=100`);
  const [error, setError] = useState<string>();
  const manage = hasOrgPermission(role, 'manage_members');

  async function act(action: () => Promise<unknown>, after: () => Promise<void> = async () => {}) {
    setError(undefined);
    try {
      await action();
      await reload();
      await after();
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    }
  }

  async function leave() {
    setError(undefined);
    try {
      await orgs.leave(orgId, userId);
      announceOrgsChanged();
      window.location.assign('/orgs');
    } catch (err) {
      setError(formErrorsFrom(err, []).message);
    }
  }

  async function transfer(to: string) {
    const password = window.prompt(t('orgs.members.transferPassword')) ?? undefined;
    await act(() => orgs.transferOwnership(orgId, { userId: to, password }), onChanged);
  }

  return (
    <Card title={t('orgs.members.title')} description={data ? t('orgs.inAll', { count: data.total }) : undefined}>
      <FormAlert>{error}</FormAlert>
      <ul aria-label={t('orgs.members.list')}>
        {data?.members.map((m) => (
          <li key={m.userId} data-testid="member-row">
            <span>
              {m.displayName} ({m.email}) · <span data-testid="member-role">{m.role}</span>
            </span>{' '}
            {m.userId === userId ? (
              <Button size="sm" variant="secondary" onClick={leave}>
                {t('orgs.members.leave')}
              </Button>
            ) : (
              manage &&
              orgRoleAtMost(m.role, role) && (
                <>
                  <select
                    aria-label={t('orgs.members.roleOf', { email: m.email })}
                    value={m.role}
                    onChange={(e) => act(() => orgs.changeRole(orgId, m.userId, e.target.value as OrgRole))}
                  >
                    {ORG_ROLES.filter((r) => orgRoleAtMost(r, role)).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>{' '}
                  <Button
                    size="sm"
                    variant="danger"
                    onClick={() => act(() => orgs.removeMember(orgId, m.userId))}
                    aria-label={t('orgs.members.removeLabel', { email: m.email })}
                  >
                    {t('orgs.members.remove')}
                  </Button>
                  {role === 'owner' && m.role !== 'owner' && (
                    <Button size="sm" variant="ghost" onClick={() => transfer(m.userId)}>
                      {t('orgs.members.transfer')}
                    </Button>
                  )}
                </>
              )
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
