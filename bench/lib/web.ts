/**
 * The web app's time to first byte: its production server (as apps/web/e2e/helpers/stack.ts
 * starts it, building `.next` first if the sources are newer) in front of the bench's API, and
 * `concurrency` clients each loading one page again and again over keep-alive, timing from the
 * request to the response's headers (Next streams the body after them). A signed-in /dashboard
 * costs the web server a session check against the API (GET /api/auth/session) and a render;
 * /login only a render. Rows for 1, 4 and 16 concurrent page views show how it grows.
 */
import http from 'node:http';
import type { Sample } from './load.js';

async function ttfbLoad(url: URL, headers: Record<string, string>, concurrency: number, seconds: number): Promise<Sample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get(url, { agent, headers }, (res) => {
        const ttfb = performance.now() - t0;
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(ttfb);
          else failures++;
          resolve();
        });
      });
      req.on('error', () => {
        failures++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), failures };
}

export interface WebRow {
  label: string;
  sample: Sample;
}

export async function webRows(apiUrl: string, sessionCookie: string, seconds: number, levels = [1, 4, 16]): Promise<WebRow[]> {
  // Imported here: it pulls in the e2e helpers (and their build lock) only when the web rows run.
  const { startWebServer } = await import('../../apps/web/e2e/helpers/stack.js');
  const web = await startWebServer({ apiUrl });
  const rows: WebRow[] = [];
  try {
    const pages: { label: string; path: string; headers: Record<string, string> }[] = [
      { label: 'web GET /dashboard (signed in)', path: '/dashboard', headers: { cookie: sessionCookie } },
      { label: 'web GET /login', path: '/login', headers: {} },
    ];
    for (const page of pages) await ttfbLoad(new URL(page.path, web.url), page.headers, 2, 1); // compile caches and JIT
    for (const page of pages)
      for (const concurrency of levels)
        rows.push({ label: `${page.label}, ${concurrency} at once`, sample: await ttfbLoad(new URL(page.path, web.url), page.headers, concurrency, seconds) });
  } finally {
    await web.close();
  }
  return rows;
}
