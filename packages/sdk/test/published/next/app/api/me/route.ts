// A protected API route: a bearer access token whose role holds 'read', checked by
// @portcullis/sdk/server's requirePermission through @portcullis/nextjs's withAccessToken.
import { withAccessToken } from '@portcullis/nextjs';
import { requirePermission } from '@portcullis/sdk/server';
import { getVerifier } from '../../../lib/verifier';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  const guarded = withAccessToken(requirePermission(getVerifier(), 'read'), (_request, _context, auth) => Response.json({ sub: auth.sub, role: auth.role }));
  return guarded(request, undefined);
}
