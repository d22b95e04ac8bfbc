'use client';
import type { organizations, ResponseOf } from '@portcullis/contract';
import { Card } from '@/components/Card';
import { useApiGet } from '@/components/useApiGet';
import { formatDateTime } from '@/lib/format';

type Page = ResponseOf<typeof organizations.listOrgAudit>;

/** The organization's audit events, for its owners and admins. */
export function OrgAudit({ orgId }: { orgId: string }) {
  const { data } = useApiGet<Page>(`/api/orgs/${encodeURIComponent(orgId)}/audit?limit=50`);
  return (
    <Card title="Audit events" description="Every change to this organization, newest first.">
      <ul aria-label="Organization audit events">
        {data?.events.map((e) => (
          <li key={e.id}>
            {formatDateTime(e.createdAt)} · <code>{e.type}</code>
          </li>
        ))}
      </ul>
    </Card>
  );
}
