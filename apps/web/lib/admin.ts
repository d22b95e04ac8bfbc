// Server components: the admin pages' gate. The role comes from the server's own session check
// (proxy.ts → GET /api/auth/session), never from the browser, so a non-admin gets the 403 page
// (HTTP 403) before any admin HTML is rendered. The API enforces the same rule on every call.
import { hasPermission, type User } from '@portcullis/sdk';
import { forbidden } from 'next/navigation';
import { requireUser } from './session';

export async function requireAdmin(path: string): Promise<User> {
  const user = await requireUser(path);
  if (!hasPermission(user.role, 'manage_users')) forbidden();
  return user;
}
