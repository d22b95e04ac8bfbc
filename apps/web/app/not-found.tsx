import Link from 'next/link';
import { StatusPage } from '@/components/StatusPage';

export default function NotFound() {
  return (
    <StatusPage
      code="404"
      title="We can’t find that page"
      actions={
        <>
          <Link href="/">Home</Link>
          <Link href="/dashboard">Dashboard</Link>
        </>
      }
    >
      <p>The link may be broken, or the page may have moved.</p>
    </StatusPage>
  );
}
