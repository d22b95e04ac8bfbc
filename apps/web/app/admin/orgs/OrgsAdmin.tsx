'use client';
import type { organizations, OrgMember, ResponseOf } from '@portcullis/contract';
import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { useApiGet } from '@/components/useApiGet';
import { formatDate } from '@/lib/format';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';
import { useOrganizations } from '@/components/useOrganizations';

type Page = ResponseOf<typeof organizations.adminListOrganizations>;

/** The admin console's list of organizations; each one's members on demand. */
export function OrgsAdmin() {
  const t = useT();
  const orgs = useOrganizations();
  const { data } = useApiGet<Page>('/api/admin/orgs?limit=100');
  const [members, setMembers] = useState<Record<string, OrgMember[]>>({});

  async function show(orgId: string) {
    const page = await orgs.members(orgId, { limit: 100 });
    setMembers((m) => ({ ...m, [orgId]: page.members }));
  }

  return (
    <Card title={t('admin.nav.orgs')} description={data ? t('admin.inAll', { count: data.total }) : undefined}>
      <ul aria-label={t('admin.orgs.list')}>
        {data?.organizations.map(({ organization: o, memberCount }) => (
          <li key={o.id} data-testid="admin-org-row">
            {rich(t('admin.orgs.row'), { name: <Link href={`/orgs/${o.id}`}>{o.name}</Link>, slug: o.slug, count: memberCount, date: formatDate(o.createdAt) })}{' '}
            <Button size="sm" variant="secondary" onClick={() => void show(o.id)}>
              {t('admin.orgs.members')}
            </Button>
            {members[o.id] && (
              <ul aria-label={t('admin.orgs.membersOf', { name: o.name })}>
                {members[o.id]!.map((m) => (
                  <li key={m.userId}>
                    {m.displayName} ({m.email}) · {m.role}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
