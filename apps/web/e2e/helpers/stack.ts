// A real API and a real web server for it, on random loopback ports, as the browser will see
// them in production: one origin, the web server proxying /api to the API.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@portcullis/testing/ports';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { acquireWebBuild, ensureWebBuild, WEB_DIR } from './build.js';

export interface Stack {
  api: TestServer;
  /** The web app's origin, e.g. http://127.0.0.1:41234 — the only origin the browser uses. */
  webUrl: string;
  /** Everything the web server printed, for failure messages. */
  webLog(): string;
  close(): Promise<void>;
}

export { freePort };

export interface WebServer {
  url: string;
  log(): string;
  close(): Promise<void>;
}

/**
 * The production web server (server.mjs) on `port`, proxying to `apiUrl`. Resolves once it
 * listens. Builds the web app first when needed (see build.ts).
 */
export async function startWebServer(options: { apiUrl: string; port?: number }): Promise<WebServer> {
  // Held until close(): no other process rebuilds .next under this server.
  const release = await acquireWebBuild();
  const port = options.port ?? (await freePort());
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(WEB_DIR, 'server.mjs')], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      WEB_PORT: String(port),
      WEB_HOST: '127.0.0.1',
      API_URL: options.apiUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      // A busy machine (other suites) can take longer than the 5 s a person gets before the 503 page.
      SESSION_CHECK_TIMEOUT_MS: '30000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    // Until it listens or exits: no clock of its own (a 60 s bound failed on a machine with a load
    // average of 50); the caller's hook timeout still ends a hang.
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('listening on')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`web server exited with ${code}:\n${log}`)));
    });
  } catch (err) {
    child.kill('SIGKILL');
    release();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      release();
    },
  };
}

/**
 * Starts the API (fresh database; env overrides such as `{ JWT_ACCESS_TTL: '5s' }`) and the web
 * server on top of it.
 */
export async function startStack(apiEnv: Record<string, string> = {}): Promise<Stack> {
  await ensureWebBuild();
  const port = await freePort();
  const webUrl = `http://127.0.0.1:${port}`;
  const api = await startServer({
    WEB_URL: webUrl,
    CORS_ORIGINS: webUrl,
    // The web server is the proxy in front of the API: believe its X-Forwarded-For.
    TRUST_PROXY: 'loopback',
    ...apiEnv,
  });
  let web: WebServer;
  try {
    web = await startWebServer({ apiUrl: api.url, port });
  } catch (err) {
    await api.close();
    throw err;
  }
  return {
    api,
    webUrl,
    webLog: () => web.log(),
    async close() {
      await web.close();
      await api.close();
    },
  };
}
