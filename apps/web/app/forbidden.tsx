import type { Metadata } from 'next';
import { ForbiddenPage } from '@/components/ForbiddenPage';

export const metadata: Metadata = { title: 'Access denied' };

/** Rendered with HTTP 403 wherever a server component calls `forbidden()` (e.g. lib/admin.ts). */
export default function Forbidden() {
  return <ForbiddenPage />;
}
