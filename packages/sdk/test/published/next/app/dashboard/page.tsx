// A protected page: the proxy sends signed-out visitors to sign-in; getSession() checks again on
// the server (a narrowed matcher must not expose it) and hands the user to @portcullis/react.
import { getSession } from '@portcullis/nextjs';
import { AuthProvider, Protect, SignedIn, SignedOut } from '@portcullis/react';
import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

export default async function Dashboard() {
  const session = await getSession();
  if (!session) redirect('/login');
  return (
    <main>
      <AuthProvider initialUser={session.user}>
        <SignedIn>
          <p id="who">{session.user.displayName}</p>
        </SignedIn>
        <SignedOut>signed-out</SignedOut>
        <Protect permission="manage_users" fallback={<p>not-admin</p>}>
          admin-only
        </Protect>
      </AuthProvider>
    </main>
  );
}
