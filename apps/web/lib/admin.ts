// Server components: the admin pages' gate. The role comes from the server's own session check
// (proxy.ts → GET /api/auth/session), never from the browser, so a non-admin gets the 403 page
// (HTTP 403) before any admin HTML is rendered. The API enforces the same rule on every call.
import type { User } from '@portcullis/sdk';
import { forbidden } from 'next/navigation';
import { canManageUsers } from './api';
import { requireUser } from './session';

export async function requireAdmin(path: string): Promise<User> {
  const user = await requireUser(path);
  if (!canManageUsers(user.role)) forbidden();
  return user;
}
