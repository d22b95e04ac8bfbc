/**
 * Load for POST /api/auth/refresh: `tokens.length` clients, each rotating its own session over
 * its own keep-alive connection and presenting each time the token the last answer gave it.
 * Not autocannon: its clients share one request object, so their first requests would all carry
 * the last token built and be refused as reuse (and every rotation after a stop is lost).
 */
import http from 'node:http';
import type { Sample } from './load.js';

function rotate(agent: http.Agent, url: URL, token: string): Promise<{ status: number; token?: string }> {
  const body = JSON.stringify({ refreshToken: token });
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-token-transport': 'body' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve(status === 200 ? { status, token: (JSON.parse(Buffer.concat(chunks).toString()) as { refreshToken: string }).refreshToken } : { status });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Rotations per second over `seconds`; returns each chain's last token with the sample. */
export async function rotationLoad(api: string, tokens: string[], seconds: number): Promise<Sample & { tokens: string[] }> {
  const url = new URL('/api/auth/refresh', api);
  const agent = new http.Agent({ keepAlive: true, maxSockets: tokens.length });
  const latencies: number[] = [];
  let failures = 0;
  const next = [...tokens];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    next.map(async (_, i) => {
      while (performance.now() < end && next[i]) {
        const t0 = performance.now();
        const answer = await rotate(agent, url, next[i]!).catch(() => ({ status: 0, token: undefined }));
        if (answer.token) latencies.push(performance.now() - t0);
        else failures++;
        next[i] = answer.token ?? '';
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), failures, tokens: next };
}
