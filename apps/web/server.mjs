// The web app's HTTP server: Next.js for pages, plus a same-origin proxy that streams /api/* and
// /.well-known/* to the API. One origin for the browser means the refresh cookie is first-party
// and `SameSite=Strict` holds. The API address is read at run time (API_URL), unlike
// next.config rewrites, which are frozen into the build.
//
//   node server.mjs [--dev]      env: WEB_PORT (3000, 0 = any), WEB_HOST (0.0.0.0), API_URL,
//                                     WEB_TRUST_PROXY (true when another proxy sits in front)
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dev = process.argv.includes('--dev');
// Set before Next (and React) load: they pick their builds from it. A test runner's
// NODE_ENV=test must not leak into a production server.
process.env.NODE_ENV = dev ? 'development' : 'production';
const { default: next } = await import('next');
const dir = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.WEB_PORT ?? 3000);
const host = process.env.WEB_HOST ?? '0.0.0.0';
const api = new URL(process.env.API_URL ?? 'http://127.0.0.1:4000');
// Only when a proxy we trust sits in front of us may its X-Forwarded-For be kept.
const trustProxy = ['1', 'true', 'yes', 'on'].includes(String(process.env.WEB_TRUST_PROXY).toLowerCase());

const PROXIED = ['/api/', '/.well-known/'];
// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const INTERNAL_PREFIX = 'x-portcullis-';
const UPSTREAM_TIMEOUT_MS = 30_000;

const isProxied = (url) => url === '/api' || PROXIED.some((prefix) => url.startsWith(prefix));

/** Streams one request to the API and its answer back: method, body, cookies, status as they are. */
function proxyToApi(req, res) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && !name.startsWith(INTERNAL_PREFIX) && !name.startsWith('x-forwarded-')) headers[name] = value;
  }
  // The client's real address, so the API's per-IP limits and session list see people, not us.
  // A client-sent X-Forwarded-For is replaced (kept only behind a trusted proxy): it is spoofable.
  const remote = req.socket.remoteAddress ?? '';
  const previous = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  headers['x-forwarded-for'] = previous ? `${previous}, ${remote}` : remote;
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = req.socket.encrypted ? 'https' : 'http';
  headers.host = api.host;

  const upstream = http.request(
    { protocol: api.protocol, hostname: api.hostname, port: api.port, method: req.method, path: req.url, headers, timeout: UPSTREAM_TIMEOUT_MS },
    (answer) => {
      const out = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) out[name] = value; // set-cookie stays an array
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    },
  );
  upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
  upstream.on('error', (err) => {
    if (res.headersSent) return void res.destroy(err);
    const body = JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable. Please try again.' } });
    res.writeHead(502, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  req.on('aborted', () => upstream.destroy());
  req.pipe(upstream);
}

const server = http.createServer();
await new Promise((resolve) => {
  server.once('error', (err) => {
    const reason = err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message;
    console.error(`Portcullis web could not listen on ${host}:${port}: ${reason} (set WEB_PORT to another port)`);
    process.exit(1);
  });
  server.listen(port, host, resolve);
});
const actualPort = server.address().port;

const app = next({ dev, dir, hostname: host === '0.0.0.0' ? 'localhost' : host, port: actualPort, httpServer: server });
const handle = app.getRequestHandler();
const ready = app.prepare();

server.on('request', async (req, res) => {
  if (isProxied(req.url ?? '')) return proxyToApi(req, res);
  // Internal headers are ours alone: a browser that sends one has it removed before Next sees it.
  for (const name of Object.keys(req.headers)) if (name.startsWith(INTERNAL_PREFIX)) delete req.headers[name];
  try {
    await ready;
    await handle(req, res);
  } catch (err) {
    console.error('web: request failed', err);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Internal Server Error');
  }
});

await ready;
process.stdout.write(`Portcullis web listening on http://localhost:${actualPort} (${dev ? 'development' : 'production'}), API ${api.origin}\n`);

// Drain on SIGINT/SIGTERM: stop accepting, close idle keep-alive connections at once and busy
// ones after their response (Connection: close), exit when all are done or after SHUTDOWN_TIMEOUT.
let draining = false;
server.prependListener('request', (_req, res) => {
  if (draining) res.setHeader('Connection', 'close');
});
const drainMs = (() => {
  const match = /^(\d+)(ms|s|m)?$/.exec((process.env.SHUTDOWN_TIMEOUT ?? '').trim());
  return match ? Number(match[1]) * { ms: 1, s: 1_000, m: 60_000 }[match[2] ?? 'ms'] : 10_000;
})();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (draining) return;
    draining = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, drainMs).unref();
  });
}
