import type { Metadata } from 'next';
import { Card } from '@/components/Card';
import { PageHeader } from '@/components/PageHeader';
import { requireUser } from '@/lib/session';
import { ApiKeys } from './ApiKeys';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const user = await requireUser('/settings/api-keys');
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Settings"
        title="API keys"
        description="Keys let your scripts and command-line tools call the API as you, within the permissions you give them. Send one as Authorization: Bearer <key>."
      />
      <Card title="Your keys" description="A key can never do more than your role allows. Revoke any you no longer use.">
        <ApiKeys role={user.role} />
      </Card>
    </div>
  );
}
