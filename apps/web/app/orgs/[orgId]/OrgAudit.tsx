'use client';
import type { organizations, ResponseOf } from '@portcullis/contract';
import { Card } from '@/components/Card';
import { useApiGet } from '@/components/useApiGet';
import { formatDateTime } from '@/lib/format';
import { useT } from '@/lib/i18n/client';

type Page = ResponseOf<typeof organizations.listOrgAudit>;

/** The organization's audit events, for its owners and admins. */
export function OrgAudit({ orgId }: { orgId: string }) {
  const t = useT();
  const { data } = useApiGet<Page>(`/api/orgs/${encodeURIComponent(orgId)}/audit?limit=50`);
  return (
    <Card title={t('orgs.audit.title')} description={t('orgs.audit.description')}>
      <ul aria-label={t('orgs.audit.list')}>
        {data?.events.map((e) => (
          <li key={e.id}>
            {formatDateTime(e.createdAt)} · <code>{e.type}</code>
          </li>
        ))}
      </ul>
    </Card>
  );
}
