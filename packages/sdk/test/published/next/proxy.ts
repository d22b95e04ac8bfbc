// A fresh Next.js app's route guard: @portcullis/nextjs's proxy helper, as its README shows it.
import { createProxy } from '@portcullis/nextjs/proxy';

export const proxy = createProxy({ rules: [{ path: '/dashboard' }, { path: '/admin', permission: 'manage_users' }] });

export const config = { matcher: ['/dashboard/:path*', '/admin/:path*'] };
