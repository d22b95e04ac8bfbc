import type { NextConfig } from 'next';

// The API is reached through server.mjs (a same-origin proxy for /api and /.well-known, resolved
// at run time from API_URL), never through `rewrites` here: those are frozen at build time.
const nextConfig: NextConfig = {
  // The SDK, React and Next.js packages are consumed as TypeScript source from the workspace.
  transpilePackages: ['@portcullis/sdk', '@portcullis/contract', '@portcullis/react', '@portcullis/nextjs'],
  poweredByHeader: false,
  reactStrictMode: true,
  // `next dev` (npm run dev) serves its own resources (hot reload) only to localhost unless told
  // otherwise; the app opened at http://127.0.0.1:3000 or http://[::1]:3000 is the same machine.
  allowedDevOrigins: ['127.0.0.1', '[::1]'],
  // No source of the app or its server paths in production responses.
  productionBrowserSourceMaps: false,
  // `forbidden()` in server components (lib/admin.ts): the 403 page is sent with HTTP status 403.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
