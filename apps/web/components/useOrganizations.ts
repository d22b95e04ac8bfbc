import { createOrganizationsClient, type OrganizationsClient } from '@portcullis/sdk';
import { useMemo } from 'react';
import { useAuth } from '@/components/AuthProvider';

/** The SDK's typed organization calls (issue 16) over the page's one client. */
export function useOrganizations(): OrganizationsClient {
  const { client } = useAuth();
  return useMemo(() => createOrganizationsClient(client), [client]);
}
